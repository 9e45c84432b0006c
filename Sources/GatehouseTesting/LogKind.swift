import EventLog
import EventLogLMDB

/// The two log implementations, so one contract suite runs against both.
public enum LogKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case inMemory
    case lmdb

    public var description: String { rawValue }

    /// Opens a new, empty log of this kind; call the returned cleanup when done.
    public func makeLog() throws -> (log: any EventLog, cleanup: @Sendable () -> Void) {
        switch self {
        case .inMemory:
            return (InMemoryEventLog(), {})
        case .lmdb:
            let directory = try TemporaryDirectory(prefix: "gatehouse-log")
            // A tiny map so the suite exercises map growth.
            return (try LMDBEventLog(directory: directory.path, initialMapSize: 256 << 10), { directory.remove() })
        }
    }
}
