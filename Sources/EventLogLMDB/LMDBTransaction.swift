import CLMDB
import EventLog

/// A live LMDB transaction. Only valid inside the closure of ``LMDBEnvironment/read(_:)`` or
/// ``LMDBEnvironment/write(_:)``; byte buffers it returns point into the map and are valid
/// until the transaction ends.
struct LMDBTransaction {
    let handle: OpaquePointer

    /// The value stored under `key`, or `nil`.
    func get(_ database: MDB_dbi, key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var value = MDB_val()
        let code = mdb_get(handle, database, &keyValue, &value)
        if code == MDB_NOTFOUND { return nil }
        try lmdbCheck(code)
        return UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
    }

    /// Stores `value` under `key`. Returns `false` when `MDB_NOOVERWRITE` found the key present.
    @discardableResult
    func put(_ database: MDB_dbi, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: Int32 = 0) throws -> Bool {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let code = mdb_put(handle, database, &keyValue, &dataValue, UInt32(flags))
        if code == MDB_KEYEXIST { return false }
        try lmdbCheck(code)
        return true
    }

    /// Deletes the entry under `key`; `false` when there was none.
    @discardableResult
    func delete(_ database: MDB_dbi, key: UnsafeRawBufferPointer) throws -> Bool {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let code = mdb_del(handle, database, &keyValue, nil)
        if code == MDB_NOTFOUND { return false }
        try lmdbCheck(code)
        return true
    }

    /// Runs `body` with a cursor over `database`, closing it afterwards.
    func withCursor<T>(_ database: MDB_dbi, _ body: (LMDBCursor) throws -> T) throws -> T {
        var cursor: OpaquePointer?
        try lmdbCheck(mdb_cursor_open(handle, database, &cursor))
        defer { mdb_cursor_close(cursor) }
        return try body(LMDBCursor(handle: cursor!))
    }
}

/// A cursor inside an ``LMDBTransaction``.
struct LMDBCursor {
    let handle: OpaquePointer

    /// A key and value in the map.
    typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    /// Moves by `operation` (e.g. `MDB_FIRST`, `MDB_NEXT`, `MDB_LAST`); `nil` at either end.
    func move(_ operation: MDB_cursor_op) throws -> Entry? {
        var key = MDB_val()
        var value = MDB_val()
        return try finish(mdb_cursor_get(handle, &key, &value, operation), key, value)
    }

    /// Positions at the first key at or after `key`.
    func seek(atOrAfter key: UnsafeRawBufferPointer) throws -> Entry? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var value = MDB_val()
        return try finish(mdb_cursor_get(handle, &keyValue, &value, MDB_SET_RANGE), keyValue, value)
    }

    /// Deletes the entry the cursor is at; a following `MDB_NEXT` yields the entry after it.
    func deleteCurrent() throws {
        try lmdbCheck(mdb_cursor_del(handle, 0))
    }

    private func finish(_ code: Int32, _ key: MDB_val, _ value: MDB_val) throws -> Entry? {
        if code == MDB_NOTFOUND { return nil }
        try lmdbCheck(code)
        return (UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size),
                UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
    }
}
