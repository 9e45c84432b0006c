import CLMDB
import EventLog

/// Raw LMDB with nothing of Gatehouse on top, for benchmarks to divide by: opaque records under
/// big-endian u64 keys, appended in synced transactions and read back with a cursor. Run in the
/// same invocation as the measurement it is a baseline for, so machine noise cancels in the ratio.
public struct LMDBBaseline: Sendable {
    private let environment: LMDBEnvironment
    private let database: MDB_dbi

    /// Opens a fresh environment in `directory` (use an empty one).
    public init(directory: String) throws {
        environment = try LMDBEnvironment(path: directory, mapSize: 64 << 20, maxDatabases: 2)
        database = try environment.openDatabase(named: "raw")
    }

    /// Appends `records` under keys `firstKey…`, one synced transaction per `batchSize` records.
    public func append(_ records: [[UInt8]], firstKey: UInt64, batchSize: Int) throws {
        var key = firstKey
        for start in stride(from: 0, to: records.count, by: batchSize) {
            try environment.write { transaction in
                var next = key
                for record in records[start ..< min(start + batchSize, records.count)] {
                    _ = try withUnsafeBytes(of: next.bigEndian) { keyBytes in
                        try record.withUnsafeBytes { try transaction.put(database, key: keyBytes, value: $0, flags: MDB_APPEND) }
                    }
                    next += 1
                }
                key = next
            }
        }
    }

    /// Reads every record in key order; returns how many and their total bytes.
    public func scan() throws -> (records: Int, bytes: Int) {
        try environment.read { transaction in
            try transaction.withCursor(database) { cursor in
                var records = 0
                var bytes = 0
                var entry = try cursor.move(MDB_FIRST)
                while let (_, value) = entry {
                    records += 1
                    bytes &+= value.count
                    entry = try cursor.move(MDB_NEXT)
                }
                return (records, bytes)
            }
        }
    }
}
