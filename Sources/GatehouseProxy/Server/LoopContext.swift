import GatehouseCache
import GatehouseCore
import NIOCore
import NIOSSL

/// Everything one event loop owns: its upstream connections, and per service a balancer with a
/// breaker per instance, a retry budget and a random source. Confined to the loop, so the
/// request path takes no locks; breakers therefore count the failures their loop saw.
final class LoopContext {
    let eventLoop: any EventLoop
    let environment: ProxyEnvironment
    let configuration: ProxyConfiguration
    let connections: UpstreamConnectionPool
    let activity: ProxyActivity
    var retryBudget = RetryBudget()
    /// The read timeouts of this loop's requests waiting for an upstream's answer.
    let readDeadlines: DeadlineTimer<ProxyHandler>
    var random: SplitMix64

    private struct PoolKey: Hashable {
        let gateway: GatewayID
        let service: String
    }

    private var pools: [PoolKey: UpstreamPool] = [:]
    /// The pool found last and where: consecutive attempts mostly go to one service, and
    /// comparing its key costs less than hashing it. Forgotten whenever a pool is added (which
    /// can move every position).
    private var lastPool: (key: PoolKey, index: [PoolKey: UpstreamPool].Index)?
    private var poolConfigurations: [PoolKey: [BackendService]] = [:]
    private var stalePools: Set<PoolKey> = []
    private var snapshotSequence: UInt64 = .max
    private var cachedSnapshot: ConfigSnapshot?
    private var cachedGeneration: UInt64 = 0
    /// Instances the active health checks found down.
    private var activelyUnhealthy: Set<BackendServiceID> = []
    /// The limiter every loop shares.
    let limiter: RateLimiter
    /// The JWT verification keys every loop shares.
    let jwtKeys: JWTKeyRingStore
    /// Token introspection answers every loop shares.
    let introspections: IntrospectionCache
    /// The response cache every loop shares.
    let cache: ResponseCache
    /// Request signatures already used, shared by every loop.
    let signatureNonces: SignatureNonces
    /// Trust for the gateway's own HTTPS calls (the same as for upstreams).
    let upstreamTLS: NIOSSLContext
    /// Flushes waiting for the end of the loop's tick.
    let flushes: TickFlushes
    /// The field edits of the upstream request head being built, empty between heads: their
    /// storage serves every head (see ``withFieldRewrite(_:)``).
    private var rewrite = FieldRewrite(removals: 24, additions: 12)
    /// Limit plans by route, key tier and quota, for the current snapshot.
    private var limitPlans: [LimitPlanKey: LimitPlan] = [:]
    /// The plan found last and its key, compared before the table is hashed: a loop's
    /// requests mostly follow each other on the same route with the same kind of caller.
    private var lastLimitPlanKey: LimitPlanKey?
    private var lastLimitPlan: LimitPlan?

    private struct LimitPlanKey: Hashable {
        let route: RouteID
        let tier: RateLimitTier?
        let quota: UsageQuota?
    }

    init(
        eventLoop: any EventLoop, environment: ProxyEnvironment, configuration: ProxyConfiguration, activity: ProxyActivity,
        upstreamTLS: NIOSSLContext, limiter: RateLimiter, jwtKeys: JWTKeyRingStore, introspections: IntrospectionCache, signatureNonces: SignatureNonces,
        cache: ResponseCache
    ) {
        self.cache = cache
        self.signatureNonces = signatureNonces
        self.upstreamTLS = upstreamTLS
        self.introspections = introspections
        self.limiter = limiter
        self.jwtKeys = jwtKeys
        self.eventLoop = eventLoop
        self.environment = environment
        self.configuration = configuration
        self.activity = activity
        flushes = TickFlushes(eventLoop: eventLoop)
        connections = UpstreamConnectionPool(eventLoop: eventLoop, tls: upstreamTLS, flushes: flushes)
        readDeadlines = DeadlineTimer(eventLoop: eventLoop) { $0.readDeadlinePassed() }
        var system = SystemRandomNumberGenerator()
        random = SplitMix64(seed: system.next())
    }

    /// The published snapshot, from this loop's copy unless the engine published a newer one
    /// (one atomic load per request, no lock). When it changed, pools are re-checked against it
    /// on next use (breaker state survives changes that leave a pool's instances as they were).
    func snapshot() -> ConfigSnapshot {
        let generation = environment.snapshotGeneration()
        if let cachedSnapshot, generation == cachedGeneration { return cachedSnapshot }
        let snapshot = environment.snapshot()
        cachedSnapshot = snapshot
        cachedGeneration = generation
        if snapshot.sequence != snapshotSequence {
            snapshotSequence = snapshot.sequence
            stalePools = Set(pools.keys)
            limitPlans.removeAll()
            (lastLimitPlanKey, lastLimitPlan) = (nil, nil)
        }
        return snapshot
    }

    /// The limit plan for `route`, a caller of `tier` (`nil`: anonymous) and a key's `quota`
    /// (`nil`: none), built once per snapshot (see ``LimitPlanner``). A quota's rules are the
    /// same for every key (the caller tells keys apart).
    func limitPlan(for entry: RouteTable.Entry, tier: RateLimitTier?, quota: UsageQuota?, snapshot: ConfigSnapshot) -> LimitPlan {
        let key = LimitPlanKey(route: entry.route.id, tier: tier, quota: quota)
        if key == lastLimitPlanKey, let lastLimitPlan { return lastLimitPlan }
        let plan: LimitPlan
        if let known = limitPlans[key] {
            plan = known
        } else {
            plan = LimitPlan(
                rules: LimitPlanner.rules(route: entry.route, policy: tier.flatMap { snapshot.policiesByTier[$0] })
                    + (quota.map(LimitPlanner.quotaRules) ?? [])
            )
            limitPlans[key] = plan
        }
        (lastLimitPlanKey, lastLimitPlan) = (key, plan)
        return plan
    }

    /// Chooses an instance of `service` for one attempt and records any breaker facts.
    func acquire(
        gateway: ConfigSnapshot.GatewayView, service: String, instances: [BackendService], client: GeoPoint?,
        excluding tried: Set<BackendServiceID>
    ) -> UpstreamPool.Choice {
        let key = PoolKey(gateway: gateway.gateway.id, service: service)
        // Found by index and changed in place: reading `pools[key]` (even to compare it with
        // nil) copies the pool, retaining every array and dictionary in it.
        var index = poolIndex(key)
        if index == nil || (!stalePools.isEmpty && stalePools.contains(key)) {
            let configuration = instances.map(Self.configurationOnly)
            if index == nil || poolConfigurations[key] != configuration {
                // Built from the configuration alone: whether an instance is up is this loop's
                // live knowledge (its breakers, the active checks' verdicts with fail-open), of
                // which the log's `is_healthy` is the record. Taking that record in would keep an
                // instance out for good when the pool was built while it was marked down.
                lastPool = nil
                pools[key] = UpstreamPool(instances: configuration, strategy: gateway.gateway.loadBalancingStrategy)
                poolConfigurations[key] = configuration
            }
            stalePools.remove(key)
            index = poolIndex(key)
        }
        // Instances that fail their health checks are skipped — unless that leaves none, then
        // all are tried (fail open, as Envoy's panic threshold does): a broken health endpoint
        // must not take a working service down.
        var excluded = tried
        if !activelyUnhealthy.isEmpty {
            let withHealth = tried.union(activelyUnhealthy)
            if instances.contains(where: { !withHealth.contains($0.id) }) { excluded = withHealth }
        }
        let choice = pools.values[index!].acquire(at: environment.now(), client: client, excluding: excluded)
        if !choice.events.isEmpty { environment.recordFacts(choice.events) }
        return choice
    }

    /// Notes an active health check's verdict on `instance`.
    func setActiveHealth(of instance: BackendServiceID, isHealthy: Bool) {
        if isHealthy { activelyUnhealthy.remove(instance) } else { activelyUnhealthy.insert(instance) }
    }

    /// Ends an attempt started by ``acquire(gateway:service:instances:client:excluding:)``.
    func release(gateway: GatewayID, service: String, instance: BackendServiceID, succeeded: Bool) {
        let key = PoolKey(gateway: gateway, service: service)
        guard let index = poolIndex(key) else { return }
        let events = pools.values[index].release(instance, succeeded: succeeded, at: environment.now())
        if !events.isEmpty { environment.recordFacts(events) }
    }

    /// Where the pool of `key` is in `pools`, if it has one.
    private func poolIndex(_ key: PoolKey) -> [PoolKey: UpstreamPool].Index? {
        if let lastPool, lastPool.key == key { return lastPool.index }
        guard let index = pools.index(forKey: key) else { return nil }
        lastPool = (key, index)
        return index
    }

    /// Runs `body` with empty field edits for one upstream request head, in the loop's storage
    /// (``FieldRewrite/reusing(_:)``): a request's edits allocate nothing.
    func withFieldRewrite<Result>(_ body: (inout FieldRewrite) -> Result) -> Result {
        rewrite.reusing(body)
    }

    /// This loop's share of an instance's `max_connections`.
    func connectionLimit(maxConnections: Int) -> Int {
        max(1, maxConnections / max(1, configuration.eventLoops))
    }

    /// An instance as configured, without the fields its health facts change.
    private static func configurationOnly(_ instance: BackendService) -> BackendService {
        var copy = instance
        copy.isHealthy = true
        copy.updatedAt = copy.createdAt
        return copy
    }
}
