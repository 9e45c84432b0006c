import NIOCore

/// Closing a connection the client may still be writing to — after a 400 for a malformed
/// request, a 413, or any response that ends the connection while request bytes are still
/// arriving — the way nginx's lingering close does: once the response is written, the
/// gateway's side is shut (FIN), and whatever the client still sends is read and dropped until
/// it closes too or ``lingerTime`` passes. Closing at once with unread input makes the kernel
/// answer with a reset, and a client still sending would lose the response it was sent.
extension ProxyHandler {
    /// How long a closing connection keeps draining what the client sends.
    static let lingerTime = TimeAmount.seconds(2)

    /// Shuts the gateway's side of the connection and drains the client's until it closes (or
    /// the linger time ends). Where a half-close is not possible (an HTTP/2 stream), closes.
    func closeLingering(_ context: ChannelHandlerContext) {
        guard !isLingering else { return }
        isLingering = true
        let shut = context.eventLoop.makePromise(of: Void.self)
        shut.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.close(mode: .output, promise: shut)
        setClientReadsPaused(false)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { context.close(promise: nil) }
    }
}
