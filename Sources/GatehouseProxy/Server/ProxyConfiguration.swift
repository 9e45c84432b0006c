import NIOCore

/// Listener and limits of the proxy.
public struct ProxyConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Event loops (threads); each owns its connections, upstream pools and breakers.
    public var eventLoops: Int
    /// Largest request body accepted (413 beyond it).
    public var maxBodyBytes: Int
    /// Request bodies up to this size are kept so an idempotent request can be retried.
    public var replayableBodyBytes: Int
    /// Longest wait for in-flight requests on shutdown, in seconds.
    public var drainSeconds: Int

    public init(
        host: String = "0.0.0.0", port: Int = 8080, eventLoops: Int = System.coreCount,
        maxBodyBytes: Int = 10 * 1024 * 1024, replayableBodyBytes: Int = 64 * 1024, drainSeconds: Int = 30
    ) {
        self.host = host
        self.port = port
        self.eventLoops = eventLoops
        self.maxBodyBytes = maxBodyBytes
        self.replayableBodyBytes = replayableBodyBytes
        self.drainSeconds = drainSeconds
    }
}
