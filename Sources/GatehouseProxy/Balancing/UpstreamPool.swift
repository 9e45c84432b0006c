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
        public var instance: UpstreamInstance?
        /// When none is available: the earliest moment an open breaker admits a trial (for `Retry-After`).
        public var retryAt: Timestamp?
        /// Facts to record.
        public var events: [ControlEvent]
    }

    public private(set) var instances: [BackendService]
    /// The same, as attempts hold them.
    private let shared: [UpstreamInstance]
    // Per instance, in `instances` order — found by position, not hashed by id on every request.
    private let ids: [BackendServiceID]
    /// What the balancer is told about each instance that does not change while the pool lives:
    /// weight, priority, location (parsed from `metadata` once), configured health.
    private let profiles: [UpstreamCandidate]
    private var breakers: [CircuitBreakerStateMachine]
    private var inFlight: [Int]
    private var balancer: LoadBalancer
    /// Reused by every ``acquire(at:client:excluding:)``: choosing allocates nothing.
    private var candidates: [UpstreamCandidate] = []

    /// A pool of `instances`; their ids must be distinct.
    public init(instances: [BackendService], strategy: LoadBalancingStrategy) {
        precondition(Set(instances.map(\.id)).count == instances.count, "an instance is listed twice")
        self.instances = instances
        self.shared = instances.map(UpstreamInstance.init)
        self.ids = instances.map(\.id)
        self.profiles = instances.map { UpstreamCandidate($0, isAvailable: true, activeRequests: 0) }
        self.breakers = instances.map { CircuitBreakerStateMachine(configuration: $0.circuitBreakerConfig) }
        self.inFlight = Array(repeating: 0, count: instances.count)
        self.balancer = LoadBalancer(strategy: strategy)
    }

    /// Requests in flight to `instance` (from this pool).
    public func activeRequests(_ instance: BackendServiceID) -> Int { position(of: instance).map { inFlight[$0] } ?? 0 }

    /// The breaker state of `instance`.
    public func circuitState(_ instance: BackendServiceID) -> CircuitState? { position(of: instance).map { breakers[$0].circuitState } }

    /// Chooses an instance for one attempt and counts it in flight until ``release(_:succeeded:at:)``.
    /// `now` is read only where a breaker is not closed.
    public mutating func acquire(at now: @autoclosure () -> Timestamp, client: GeoPoint? = nil, excluding tried: Set<BackendServiceID> = []) -> Choice {
        var events: [ControlEvent] = []
        var excluded = tried
        while true {
            candidates.removeAll(keepingCapacity: true)
            for index in profiles.indices {
                var candidate = profiles[index]
                candidate.isAvailable = candidate.isAvailable && isAdmissible(index, at: now())
                candidate.activeRequests = inFlight[index]
                candidates.append(candidate)
            }
            guard let id = balancer.choose(from: candidates, client: client, excluding: excluded), let index = position(of: id) else {
                return Choice(instance: nil, retryAt: earliestRetry(), events: events)
            }
            let (admission, transition) = breakers[index].admit(at: now())
            if let transition { events += facts(for: transition, of: id) }
            guard admission == .allowed else {
                // Lost a race with its half-open trial quota: try the others.
                excluded.insert(id)
                continue
            }
            inFlight[index] += 1
            return Choice(instance: shared[index], retryAt: nil, events: events)
        }
    }

    /// Ends an attempt started by ``acquire(at:client:excluding:)`` and returns facts to record.
    public mutating func release(_ id: BackendServiceID, succeeded: Bool, at now: @autoclosure () -> Timestamp) -> [ControlEvent] {
        guard let index = position(of: id) else { return [] }
        inFlight[index] = max(0, inFlight[index] - 1)
        let transition = succeeded ? breakers[index].recordSuccess(at: now()) : breakers[index].recordFailure(at: now())
        return transition.map { facts(for: $0, of: id) } ?? []
    }

    /// Where `id` is in `instances` (a pool holds a service's few instances: a scan of their ids
    /// costs less than hashing one).
    private func position(of id: BackendServiceID) -> Int? {
        ids.firstIndex(of: id)
    }

    private func isAdmissible(_ index: Int, at now: @autoclosure () -> Timestamp) -> Bool {
        let breaker = breakers[index]
        switch breaker.state {
        case .closed: return true
        case .open(let until, _): return now() >= until
        case .halfOpen(let admitted, _): return admitted < breaker.configuration.halfOpenMaxCalls
        }
    }

    private func earliestRetry() -> Timestamp? {
        breakers.compactMap { breaker in
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
