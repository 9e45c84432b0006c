import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// The demo upstream's listener.
struct DemoServer {
    let channel: any Channel
    let group: MultiThreadedEventLoopGroup

    /// The bound port.
    var port: Int { channel.localAddress?.port ?? 0 }

    /// A server TLS context from PEM files.
    static func tlsContext(certificate: String, key: String) throws -> NIOSSLContext {
        try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        ))
    }

    static func start(host: String, port: Int, threads: Int, behaviour: DemoBehaviour, tls: NIOSSLContext? = nil) throws -> DemoServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let switches = DemoSwitches(behaviour)
        let data = WeddingData()
        let load = DemoLoad()
        let keySet = DemoKeySet()
        let introspection = DemoIntrospection()
        let cacheable = DemoCacheable()
        let webhooks = DemoWebhooks()
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    let webSocket = NIOWebSocketServerUpgrader(
                        shouldUpgrade: { channel, head in
                            channel.eventLoop.makeSucceededFuture(head.uri.hasPrefix("/live/ws") ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                let operations = channel.pipeline.syncOperations
                                operations.removeHandler(try operations.handler(type: DemoConnectionHandler.self), promise: nil)
                                try operations.addHandler(WebSocketEchoHandler())
                            }
                        }
                    )
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [webSocket], completionHandler: { _ in }),
                        withErrorHandling: true
                    )
                    let port = channel.localAddress?.port ?? 0
                    let api = DemoAPI(instance: "127.0.0.1:\(port)", data: data, switches: switches, load: load, keySet: keySet, introspection: introspection, cacheable: cacheable, webhooks: webhooks)
                    try channel.pipeline.syncOperations.addHandler(DemoConnectionHandler(api: api, switches: switches))
                }
            }
            .bind(host: host, port: port).wait()
        return DemoServer(channel: channel, group: group)
    }

    func waitUntilClosed() throws {
        try channel.closeFuture.wait()
        try group.syncShutdownGracefully()
    }
}
