/// Back-pressure for one channel: while closed, the `read` a handler intercepts is held back
/// (NIO then stops reading the socket); reopening releases the held read. The handler issues
/// reads itself, outside these mutations, because a read can re-enter it synchronously.
struct ReadGate {
    private(set) var isClosed = false
    private var heldRead = false

    /// Whether a `read` may pass now; otherwise it is held.
    mutating func admitRead() -> Bool {
        if isClosed { heldRead = true }
        return !isClosed
    }

    /// Closes or reopens the gate; returns `true` when a held read must be issued now.
    mutating func setClosed(_ closed: Bool) -> Bool {
        isClosed = closed
        guard !closed, heldRead else { return false }
        heldRead = false
        return true
    }
}
