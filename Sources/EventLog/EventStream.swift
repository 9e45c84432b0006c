/// The two streams of the log. They share one global sequence.
public enum EventStream: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Config changes and operational facts; fsync-durable per append, kept forever.
    case control = 1
    /// Request outcomes; group-committed in batches, kept for a retention window.
    case traffic = 2

    public var description: String {
        switch self {
        case .control: "control"
        case .traffic: "traffic"
        }
    }
}
