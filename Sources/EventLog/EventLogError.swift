/// Errors the log reports.
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A record failed its CRC or envelope check. It is never handed to a projection.
    case corruptRecord(sequence: SequenceNumber, reason: String)
    /// An optimistic append found another writer's control events after `expected`.
    case concurrencyConflict(expected: SequenceNumber, actual: SequenceNumber)
    /// A field does not fit the record format (e.g. an over-long correlation id).
    case recordTooLarge(String)
    /// The storage engine failed.
    case storage(code: Int32, message: String)

    public var description: String {
        switch self {
        case .corruptRecord(let sequence, let reason): "corrupt record at sequence \(sequence): \(reason)"
        case .concurrencyConflict(let expected, let actual): "log moved on: expected last control sequence \(expected), found \(actual)"
        case .recordTooLarge(let what): "record too large: \(what)"
        case .storage(let code, let message): "storage error \(code): \(message)"
        }
    }
}
