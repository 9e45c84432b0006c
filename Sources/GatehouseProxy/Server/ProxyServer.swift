import GatehouseCache
import GatehouseCore
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL

/// The proxy listener: one `ServerBootstrap` on its own event-loop group, a ``LoopContext`` per
/// loop (upstream pools, breakers) and a ``ProxyHandler`` per client connection.
public final class ProxyServer: Sendable {
    public let configuration: ProxyConfiguration
    /// Requests in flight and the draining flag.
    public let activity: ProxyActivity
    /// The response cache (the admin API reports on it and invalidates it).
    public let cache: ResponseCache
    /// The latest active health check of every instance.
    public let healthObservations: HealthObservations
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let tlsChannel: (any Channel)?
    private let contexts: [NIOLoopBound<LoopContext>]
    private let healthChecker: NIOLoopBound<ActiveHealthChecker>
    private let jwtKeys: JWTKeyRingStore
    private let limiter: RateLimiter

    /// The rate limiter's live figures.
    public var limiterStatistics: LimiterStatistics { limiter.statistics() }

    /// The bound port (useful with port 0).
    public var port: Int { channel.localAddress?.port ?? configuration.port }

    /// The bound TLS port, when there is a TLS listener.
    public var tlsPort: Int? { tlsChannel?.localAddress?.port }

    /// Binds the listener and starts serving.
    /// `quotaUsage` starts the keys' quota counters where the log says they stood.
    public static func start(
        configuration: ProxyConfiguration, environment: ProxyEnvironment, quotaUsage: QuotaUsage? = nil, cache: ResponseCache = ResponseCache()
    ) throws -> ProxyServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoops))
        let activity = ProxyActivity()
        let upstreamTLS = try makeUpstreamTLSContext(caFile: configuration.upstreamCAFile)
        let limiter = RateLimiter()
        if let quotaUsage { limiter.seed(quotaUsage) }
        let introspections = IntrospectionCache()
        let signatureNonces = SignatureNonces()
        let jwtKeys = JWTKeyRingStore()
        jwtKeys.start(snapshot: environment.snapshot, tls: upstreamTLS, eventLoop: group.next(), report: environment.report)
        var contexts: [ObjectIdentifier: NIOLoopBound<LoopContext>] = [:]
        for loop in group.makeIterator() {
            contexts[ObjectIdentifier(loop)] = try loop.submit {
                NIOLoopBound(
                    LoopContext(
                        eventLoop: loop, environment: environment, configuration: configuration, activity: activity, upstreamTLS: upstreamTLS,
                        limiter: limiter, jwtKeys: jwtKeys, introspections: introspections, signatureNonces: signatureNonces, cache: cache
                    ),
                    eventLoop: loop
                )
            }.wait()
        }
        let byLoop = contexts
        let bootstrap = listenerBootstrap(group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ProtocolSniffer(
                        http2: { try configureHTTP2(channel: $0, contexts: byLoop, scheme: "http") },
                        http1: { try configureHTTP1($0, contexts: byLoop, scheme: "http") }
                    ))
                }
            }
        let allContexts = Array(byLoop.values)
        let checkerLoop = group.next()
        let observations = HealthObservations()
        let healthChecker = try checkerLoop.submit {
            let checker = ActiveHealthChecker(
                eventLoop: checkerLoop, environment: environment, tls: upstreamTLS, observations: observations
            ) { instance, isHealthy in
                for context in allContexts {
                    context.eventLoop.execute { context.value.setActiveHealth(of: instance, isHealthy: isHealthy) }
                }
            }
            checker.start()
            checkerLoop.scheduleRepeatedTask(initialDelay: .minutes(10), delay: .minutes(10)) { _ in
                limiter.evictIdle(now: environment.now().microseconds)
            }
            checkerLoop.scheduleRepeatedTask(initialDelay: .seconds(60), delay: .seconds(60)) { _ in
                cache.removeExpired(now: environment.now())
            }
            return NIOLoopBound(checker, eventLoop: checkerLoop)
        }.wait()
        do {
            let channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
            let certificates = GatewayCertificates(snapshot: environment.snapshot)
            let tlsChannel = try configuration.tls.map { try bindTLS($0, certificates: certificates, group: group, contexts: byLoop) }
            return ProxyServer(
                configuration: configuration, activity: activity, cache: cache, healthObservations: observations, group: group, channel: channel,
                tlsChannel: tlsChannel, contexts: allContexts, healthChecker: healthChecker, jwtKeys: jwtKeys, limiter: limiter
            )
        } catch {
            try? checkerLoop.submit { healthChecker.value.stop() }.wait()
            jwtKeys.stop()
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    private init(
        configuration: ProxyConfiguration, activity: ProxyActivity, cache: ResponseCache, healthObservations: HealthObservations,
        group: MultiThreadedEventLoopGroup, channel: any Channel,
        tlsChannel: (any Channel)?, contexts: [NIOLoopBound<LoopContext>], healthChecker: NIOLoopBound<ActiveHealthChecker>,
        jwtKeys: JWTKeyRingStore, limiter: RateLimiter
    ) {
        self.limiter = limiter
        self.configuration = configuration
        self.activity = activity
        self.cache = cache
        self.healthObservations = healthObservations
        self.group = group
        self.channel = channel
        self.tlsChannel = tlsChannel
        self.contexts = contexts
        self.healthChecker = healthChecker
        self.jwtKeys = jwtKeys
    }

    /// Graceful stop: no new connections, responses from now on close their connections,
    /// in-flight requests get up to `drainSeconds` to finish, then everything closes.
    public func shutdown() {
        activity.beginDraining()
        jwtKeys.stop()
        try? healthChecker.eventLoop.submit { self.healthChecker.value.stop() }.wait()
        try? channel.close().wait()
        try? tlsChannel?.close().wait()
        let deadline = NIODeadline.now() + .seconds(Int64(configuration.drainSeconds))
        while activity.requestsInFlight > 0, NIODeadline.now() < deadline {
            usleep(20_000)
        }
        for context in contexts {
            try? context.eventLoop.submit { context.value.connections.closeIdle() }.wait()
        }
        try? group.syncShutdownGracefully()
    }

    /// The client TLS context for HTTPS upstreams: full verification against the system's roots
    /// plus `caFile`, ALPN `http/1.1` (upstream connections speak HTTP/1.1).
    private static func makeUpstreamTLSContext(caFile: String?) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
        }
        tls.applicationProtocols = ["http/1.1"]
        return try NIOSSLContext(configuration: tls)
    }

    /// The socket options both listeners share.
    private static func listenerBootstrap(_ group: MultiThreadedEventLoopGroup) -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    }

    /// HTTP/1.1 on `channel`: Gatehouse's own codec (``HTTP1ServerCodec``: framing fields are
    /// left to the proxy, which knows what the upstream sent; pipelined requests are queued by
    /// the proxy itself; parse errors are answered by it with the spec's JSON 400) and a
    /// ``ProxyHandler``.
    private static func configureHTTP1(_ channel: any Channel, contexts: [ObjectIdentifier: NIOLoopBound<LoopContext>], scheme: String) throws {
        let loop = contexts[ObjectIdentifier(channel.eventLoop)]!.value
        let codec = HTTP1ServerCodec(headLimit: loop.configuration.maxHeaderBytes + requestLineBytes, flushes: loop.flushes)
        try channel.pipeline.syncOperations.addHandler(codec)
        try channel.pipeline.syncOperations.addHandler(ProxyHandler(loop: loop, scheme: scheme, clientCodec: codec))
    }

    /// Room for the request line in a request head, beyond the fields' `maxHeaderBytes`.
    static let requestLineBytes = 8 * 1024

    /// HTTP/2 on `channel`: each stream gets its own ``ProxyHandler`` behind NIO's
    /// HTTP/2-to-HTTP/1 codec, on the connection's event loop.
    private static func configureHTTP2(channel: any Channel, contexts: [ObjectIdentifier: NIOLoopBound<LoopContext>], scheme: String) throws {
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                let loop = contexts[ObjectIdentifier(stream.eventLoop)]!.value
                try stream.pipeline.syncOperations.addHandler(ProxyHandler(loop: loop, scheme: scheme))
            }
        }
    }

    /// The TLS listener: ALPN offers `h2` and `http/1.1`; SNI picks a gateway's own certificate
    /// (``GatewayCertificates``); each HTTP/2 stream gets its own ``ProxyHandler`` behind NIO's
    /// HTTP/2-to-HTTP/1 codec, on the connection's event loop.
    private static func bindTLS(
        _ listener: TLSListener, certificates: GatewayCertificates, group: MultiThreadedEventLoopGroup,
        contexts: [ObjectIdentifier: NIOLoopBound<LoopContext>]
    ) throws -> any Channel {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(listener.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: listener.privateKeyPath, format: .pem))
        )
        tls.applicationProtocols = ["h2", "http/1.1"]
        tls.sslContextCallback = { values, promise in certificates.select(values, promise) }
        let sslContext = try NIOSSLContext(configuration: tls)
        return try listenerBootstrap(group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                }.flatMap {
                    channel.configureHTTP2SecureUpgrade(
                        h2ChannelConfigurator: { channel in
                            channel.eventLoop.makeCompletedFuture { try configureHTTP2(channel: channel, contexts: contexts, scheme: "https") }
                        },
                        http1ChannelConfigurator: { channel in
                            channel.eventLoop.makeCompletedFuture { try configureHTTP1(channel, contexts: contexts, scheme: "https") }
                        }
                    )
                }
            }
            .bind(host: listener.host, port: listener.port).wait()
    }
}
