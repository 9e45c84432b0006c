import CLMDB
import EventLog

/// Turns an LMDB return code into a thrown ``EventLogError/storage(code:message:)``.
@inline(__always)
func lmdbCheck(_ code: Int32) throws {
    guard code != MDB_SUCCESS else { return }
    throw EventLogError.storage(code: code, message: String(cString: mdb_strerror(code)))
}

extension EventLogError {
    /// `true` when LMDB ran out of map space and the map must grow.
    var isMapFull: Bool {
        if case .storage(let code, _) = self { return code == MDB_MAP_FULL }
        return false
    }

    /// `true` when another process grew the map and this one must adopt the new size.
    var isMapResized: Bool {
        if case .storage(let code, _) = self { return code == MDB_MAP_RESIZED }
        return false
    }
}
