import Dispatch
import Foundation
import GatehouseCache
import GatehouseCore
import GatehouseEngine
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The admin listener: a Hummingbird application serving the spec's admin API on its own
/// threads, next to the proxy. Started and stopped from synchronous code (`gatehouse serve`).
public final class AdminServer: Sendable {
    /// Where it listens and how callers authenticate.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var bootstrap: BootstrapToken
        /// HS256 secret for admin JWTs; `nil` disables JWT login.
        public var jwtSecret: String?
        /// The proxy route tests go through; `nil`: the test endpoint answers 503.
        public var routeTest: RouteTestTarget?

        public init(host: String, port: Int, bootstrap: BootstrapToken, jwtSecret: String?, routeTest: RouteTestTarget?) {
            self.routeTest = routeTest
            self.host = host
            self.port = port
            self.bootstrap = bootstrap
            self.jwtSecret = jwtSecret
        }
    }

    /// The bound port (the real one when 0 was asked for).
    public let port: Int
    private let group: ServiceGroup
    private let finished: DispatchSemaphore

    private init(port: Int, group: ServiceGroup, finished: DispatchSemaphore) {
        self.port = port
        self.group = group
        self.finished = finished
    }

    /// Binds and starts serving; returns once the listener is up (throws if it cannot bind).
    public static func start(
        configuration: Configuration, engine: GatehouseEngine, health: @escaping @Sendable () -> [BackendServiceID: HealthObservation],
        cache: ResponseCache? = nil, metrics: MetricsProjection? = nil, keyActivity: KeyActivityProjection? = nil, recorder: (@Sendable () -> OutcomeRecorder.Statistics)? = nil,
        limiter: (@Sendable () -> LimiterStatistics)? = nil
    ) throws -> AdminServer {
        let bound = BoundPort()
        let keyActivity = try keyActivity ?? KeyActivityProjection(log: engine.log)
        let metrics = try metrics ?? MetricsProjection(log: engine.log)
        let finished = DispatchSemaphore(value: 0)
        let ready = DispatchSemaphore(value: 0)
        let holder = ServiceGroupHolder()
        Task {
            let authenticator = await AdminAuthenticator(bootstrap: configuration.bootstrap, jwtSecret: configuration.jwtSecret) { engine.state }
            let router = AdminRouter.build(
                services: AdminServices(
                    engine: engine, keyActivity: keyActivity, health: health, cache: cache, metrics: metrics,
                    recorder: recorder, limiter: limiter
                ),
                authenticator: authenticator, routeTest: configuration.routeTest
            )
            var logger = Logger(label: "gatehouse.admin")
            logger.logLevel = .warning
            let application = Application(
                router: router,
                configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "gatehouse-admin"),
                onServerRunning: { channel in
                    bound.set(channel.localAddress?.port ?? configuration.port)
                    ready.signal()
                },
                logger: logger
            )
            let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
            holder.set(group)
            do {
                try await group.run()
            } catch {
                bound.fail("\(error)")
                ready.signal()
            }
            finished.signal()
        }
        ready.wait()
        guard let port = bound.port, let group = holder.group else {
            throw AdminStartupError(message: "admin listener on \(configuration.host):\(configuration.port): \(bound.failure ?? "did not start")")
        }
        return AdminServer(port: port, group: group, finished: finished)
    }

    /// Stops accepting, lets in-flight admin requests finish, and returns when it has stopped.
    public func shutdown() {
        let group = group
        Task { await group.triggerGracefulShutdown() }
        finished.wait()
    }
}

/// The port the listener reported, or why it failed — set from the server task.
private final class BoundPort: Sendable {
    private let state = Mutex<(port: Int?, failure: String?)>((nil, nil))
    var port: Int? { state.withLock { $0.port } }
    var failure: String? { state.withLock { $0.failure } }
    func set(_ port: Int) { state.withLock { $0.port = port } }
    func fail(_ message: String) { state.withLock { $0.failure = message } }
}

private final class ServiceGroupHolder: Sendable {
    private let value = Mutex<ServiceGroup?>(nil)
    var group: ServiceGroup? { value.withLock { $0 } }
    func set(_ group: ServiceGroup) { value.withLock { $0 = group } }
}
