import GatehouseCore

/// One service's instances as one event loop sees them: a circuit breaker and an in-flight
/// count per instance, and the gateway's balancing strategy. Pure and lock-free — the proxy
/// keeps one per service per event loop, performs the I/O, and records the facts this returns
/// (`CircuitOpened`/`HalfOpened`/`Closed`, and `InstanceHealthChanged` when a breaker ejects
/// or readmits an instance).
public struct UpstreamPool: Sendable {
    /// What ``acquire(at:client:excluding:)`` decided.
    public struct Choice: Sendable {
        /// The instance to send the attempt to; `nil` when none is available.
        public var instance: BackendService?
        /// When none is available: the earliest moment an open breaker admits a trial (for `Retry-After`).
        public var retryAt: Timestamp?
        /// Facts to record.
        public var events: [ControlEvent]
    }

    public private(set) var instances: [BackendService]
    private var breakers: [BackendServiceID: CircuitBreakerStateMachine]
    private var inFlight: [BackendServiceID: Int] = [:]
    private var balancer: LoadBalancer
    /// Reused by every ``acquire(at:client:excluding:)``: choosing allocates nothing.
    private var candidates: [UpstreamCandidate] = []

    public init(instances: [BackendService], strategy: LoadBalancingStrategy) {
        self.instances = instances
        self.breakers = Dictionary(uniqueKeysWithValues: instances.map { ($0.id, CircuitBreakerStateMachine(configuration: $0.circuitBreakerConfig)) })
        self.balancer = LoadBalancer(strategy: strategy)
    }

    /// Requests in flight to `instance` (from this pool).
    public func activeRequests(_ instance: BackendServiceID) -> Int { inFlight[instance, default: 0] }

    /// The breaker state of `instance`.
    public func circuitState(_ instance: BackendServiceID) -> CircuitState? { breakers[instance]?.circuitState }

    /// Chooses an instance for one attempt and counts it in flight until ``release(_:succeeded:at:)``.
    public mutating func acquire(at now: Timestamp, client: GeoPoint? = nil, excluding tried: Set<BackendServiceID> = []) -> Choice {
        var events: [ControlEvent] = []
        var excluded = tried
        while true {
            candidates.removeAll(keepingCapacity: true)
            for instance in instances {
                candidates.append(UpstreamCandidate(instance, isAvailable: isAdmissible(instance.id, at: now), activeRequests: inFlight[instance.id, default: 0]))
            }
            guard let id = balancer.choose(from: candidates, client: client, excluding: excluded),
                  let instance = instances.first(where: { $0.id == id }) else {
                return Choice(instance: nil, retryAt: earliestRetry(), events: events)
            }
            let (admission, transition) = breakers[id]!.admit(at: now)
            if let transition { events += facts(for: transition, of: id) }
            guard admission == .allowed else {
                // Lost a race with its half-open trial quota: try the others.
                excluded.insert(id)
                continue
            }
            inFlight[id, default: 0] += 1
            return Choice(instance: instance, retryAt: nil, events: events)
        }
    }

    /// Ends an attempt started by ``acquire(at:client:excluding:)`` and returns facts to record.
    public mutating func release(_ id: BackendServiceID, succeeded: Bool, at now: Timestamp) -> [ControlEvent] {
        guard breakers[id] != nil else { return [] }
        inFlight[id] = max(0, inFlight[id, default: 0] - 1)
        let transition = succeeded ? breakers[id]!.recordSuccess(at: now) : breakers[id]!.recordFailure(at: now)
        return transition.map { facts(for: $0, of: id) } ?? []
    }

    private func isAdmissible(_ id: BackendServiceID, at now: Timestamp) -> Bool {
        guard let breaker = breakers[id] else { return false }
        switch breaker.state {
        case .closed: return true
        case .open(let until, _): return now >= until
        case .halfOpen(let admitted, _): return admitted < breaker.configuration.halfOpenMaxCalls
        }
    }

    private func earliestRetry() -> Timestamp? {
        breakers.values.compactMap { breaker in
            if case .open(let until, _) = breaker.state { return until }
            return nil
        }.min()
    }

    private func facts(for transition: CircuitBreakerStateMachine.Transition, of id: BackendServiceID) -> [ControlEvent] {
        switch transition {
        case .opened(let failures, let next):
            [.circuitOpened(CircuitTransition(backendServiceID: id, failureCount: failures, nextAttemptAt: next)),
             .instanceHealthChanged(InstanceHealthChange(backendServiceID: id, isHealthy: false, reason: "passive_ejection"))]
        case .halfOpened:
            [.circuitHalfOpened(CircuitTransition(backendServiceID: id, failureCount: 0))]
        case .closed(let successes):
            [.circuitClosed(CircuitTransition(backendServiceID: id, failureCount: 0, successCount: successes)),
             .instanceHealthChanged(InstanceHealthChange(backendServiceID: id, isHealthy: true, reason: "recovered"))]
        }
    }
}
