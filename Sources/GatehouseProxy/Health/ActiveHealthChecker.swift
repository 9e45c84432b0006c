import GatehouseCore
import NIOCore
import NIOSSL

/// Probes every instance of every enabled gateway on its gateway's `health_check_interval`,
/// from one event loop. When an instance's health flips (see ``HealthCheckCounter``) it records
/// `InstanceHealthChanged` and tells every loop, which stop (or resume) choosing it.
final class ActiveHealthChecker {
    private let eventLoop: any EventLoop
    private let environment: ProxyEnvironment
    private let tls: NIOSSLContext
    private let broadcast: (BackendServiceID, Bool) -> Void
    private let observations: HealthObservations
    private var counters: [BackendServiceID: HealthCheckCounter] = [:]
    private var nextProbe: [BackendServiceID: NIODeadline] = [:]
    private var inFlight: Set<BackendServiceID> = []
    private var ticker: Scheduled<Void>?
    private var stopped = false

    /// `broadcast` is called on this loop with each change.
    init(
        eventLoop: any EventLoop, environment: ProxyEnvironment, tls: NIOSSLContext, observations: HealthObservations,
        broadcast: @escaping (BackendServiceID, Bool) -> Void
    ) {
        self.observations = observations
        self.eventLoop = eventLoop
        self.environment = environment
        self.tls = tls
        self.broadcast = broadcast
    }

    /// Starts probing (call on the checker's loop).
    func start() {
        guard !stopped else { return }
        tick()
        ticker = eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(250)) { [self] in start() }
    }

    func stop() {
        stopped = true
        ticker?.cancel()
        ticker = nil
    }

    private func tick() {
        let now = NIODeadline.now()
        let snapshot = environment.snapshot()
        var live: Set<BackendServiceID> = []
        for view in snapshot.gateways {
            let interval = TimeAmount.seconds(Int64(max(1, view.gateway.healthCheckInterval)))
            let timeout = TimeAmount.milliseconds(Int64(max(1, min(view.gateway.timeoutConfig.connect, view.gateway.healthCheckInterval * 1000))))
            for instance in view.pools.values.joined() {
                live.insert(instance.id)
                guard !inFlight.contains(instance.id), now >= nextProbe[instance.id, default: now] else { continue }
                nextProbe[instance.id] = now + interval
                guard let address = UpstreamAddress(serviceURL: instance.serviceURL) else { continue }
                inFlight.insert(instance.id)
                HealthProbe.check(address, path: instance.healthCheckEndpoint, timeout: timeout, tls: tls, on: eventLoop)
                    .assumeIsolated()
                    .whenSuccess { [self] healthy in
                        let elapsed = NIODeadline.now() - now
                        observations.record(
                            HealthObservation(checkedAt: .now(), healthy: healthy, responseMilliseconds: Double(elapsed.nanoseconds) / 1_000_000),
                            for: instance.id
                        )
                        record(healthy, for: instance.id)
                    }
            }
        }
        // Forget instances that were removed.
        for id in counters.keys where !live.contains(id) { counters[id] = nil }
        for id in nextProbe.keys where !live.contains(id) {
            nextProbe[id] = nil
            observations.forget(id)
        }
    }

    private func record(_ healthy: Bool, for id: BackendServiceID) {
        inFlight.remove(id)
        guard nextProbe[id] != nil else { return }
        var counter = counters[id] ?? HealthCheckCounter()
        let change = counter.record(success: healthy)
        counters[id] = counter
        guard let isHealthy = change else { return }
        environment.recordFacts([.instanceHealthChanged(InstanceHealthChange(
            backendServiceID: id, isHealthy: isHealthy, reason: isHealthy ? "active_check_passed" : "active_check_failed"
        ))])
        broadcast(id, isHealthy)
    }
}
