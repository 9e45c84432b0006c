import NIOCore
import NIOPosix

/// A loopback server that accepts connections and never reads from them: an upstream that stalls.
public final class SilentUpstream: Sendable {
    private let channel: any Channel

    /// The bound port.
    public var port: Int { channel.localAddress?.port ?? 0 }

    public init() throws {
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.socketOption(.so_rcvbuf), value: 4096)
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    /// Stops listening (accepted connections close with it).
    public func close() {
        try? channel.close().wait()
    }
}
