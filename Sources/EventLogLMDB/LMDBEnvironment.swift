import CLMDB
import EventLog
import Foundation

/// One LMDB environment (a data directory holding `data.mdb` and `lock.mdb`) with closure-scoped
/// transactions, one writer at a time, and a map that grows when it fills.
final class LMDBEnvironment: @unchecked Sendable {
    // @unchecked: `handle` is an MDB_env, which LMDB documents as thread-safe when opened with
    // MDB_NOTLS; resizing (the one operation that is not) runs under `resizeLock`'s exclusive side.
    let handle: OpaquePointer
    let path: String
    /// `data.mdb`'s absolute path with symbolic links resolved, as the kernel names its mappings.
    private let dataFile: String
    private let resizeLock = ReadWriteLock()
    private let writer = NSLock()

    /// Opens (creating if needed) the environment in directory `path`.
    init(path: String, mapSize: Int, maxDatabases: UInt32) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var environment: OpaquePointer?
        try lmdbCheck(mdb_env_create(&environment))
        guard let environment else { throw EventLogError.storage(code: -1, message: "mdb_env_create returned no environment") }
        do {
            try lmdbCheck(mdb_env_set_maxdbs(environment, maxDatabases))
            try lmdbCheck(mdb_env_set_mapsize(environment, mapSize))
            try lmdbCheck(mdb_env_open(environment, path, UInt32(MDB_NOTLS), 0o644))
        } catch {
            mdb_env_close(environment)
            throw error
        }
        self.handle = environment
        self.path = path
        dataFile = URL(fileURLWithPath: path).appendingPathComponent("data.mdb").resolvingSymlinksInPath().path
    }

    deinit {
        mdb_env_close(handle)
    }

    /// The current map size in bytes.
    var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// Drops this process's mappings of the data file's pages (`MADV_DONTNEED` over each of its
    /// mappings, found in `/proc/self/maps` — LMDB does not tell where its map is). The map is
    /// read-only and backed by the file, so nothing is lost: a page read again is mapped again
    /// from the page cache (or the disk), and pointers into the map stay valid. Without it the
    /// resident set grows with every page any reader has touched — for a gateway whose
    /// projections read each outcome once, the whole log.
    func releaseResidentPages() {
        resizeLock.withSharedLock { Self.releasePages(of: dataFileMappings) }
    }

    /// Where the data file is mapped now. The ranges hold while a transaction runs: the map is
    /// only resized when none does.
    var dataFileMappings: [Range<UInt>] { MappedRanges.of(file: dataFile) }

    /// `MADV_DONTNEED` over `ranges` (the data file's mappings; see ``releaseResidentPages()``).
    static func releasePages(of ranges: [Range<UInt>]) {
        for range in ranges {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_DONTNEED)
        }
    }

    /// Opens (creating) a named database.
    func openDatabase(named name: String) throws -> MDB_dbi {
        try write { transaction in
            var database: MDB_dbi = 0
            try lmdbCheck(mdb_dbi_open(transaction.handle, name, UInt32(MDB_CREATE), &database))
            return database
        }
    }

    /// Runs `body` in a read-only transaction.
    func read<T>(_ body: (LMDBTransaction) throws -> T) throws -> T {
        try adoptingResizes {
            try resizeLock.withSharedLock { try run(flags: UInt32(MDB_RDONLY), commit: false, body) }
        }
    }

    /// Runs `body` in the write transaction and commits it durably (fsync) when it returns.
    /// When the map is full the transaction is rolled back, the map doubled and `body` run again,
    /// so `body` must compute everything it writes from what it reads.
    func write<T>(_ body: (LMDBTransaction) throws -> T) throws -> T {
        writer.lock()
        defer { writer.unlock() }
        while true {
            do {
                return try adoptingResizes {
                    try resizeLock.withSharedLock { try run(flags: 0, commit: true, body) }
                }
            } catch let error as EventLogError where error.isMapFull {
                try resizeLock.withExclusiveLock {
                    try lmdbCheck(mdb_env_set_mapsize(handle, mapSize * 2))
                }
            }
        }
    }

    /// Retries `body` after adopting a map size another process has set.
    private func adoptingResizes<T>(_ body: () throws -> T) throws -> T {
        while true {
            do {
                return try body()
            } catch let error as EventLogError where error.isMapResized {
                try resizeLock.withExclusiveLock { try lmdbCheck(mdb_env_set_mapsize(handle, 0)) }
            }
        }
    }

    private func run<T>(flags: UInt32, commit: Bool, _ body: (LMDBTransaction) throws -> T) throws -> T {
        var transaction: OpaquePointer?
        try lmdbCheck(mdb_txn_begin(handle, nil, flags, &transaction))
        guard let transaction else { throw EventLogError.storage(code: -1, message: "mdb_txn_begin returned no transaction") }
        let result: T
        do {
            result = try body(LMDBTransaction(handle: transaction))
        } catch {
            mdb_txn_abort(transaction)
            throw error
        }
        if commit {
            try lmdbCheck(mdb_txn_commit(transaction))
        } else {
            mdb_txn_abort(transaction)
        }
        return result
    }
}
