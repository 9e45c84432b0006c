import GatehouseCore

/// Chooses the instance for the next request with the gateway's `load_balancing_strategy`.
///
/// Only available instances not already tried by this request are eligible, and only those of
/// the lowest `priority` tier that has any (failover). Within the tier:
/// - `round_robin` takes turns;
/// - `weighted` is smooth weighted round robin (nginx's): shares follow the weights, spread out;
/// - `least_connections` takes the fewest requests in flight per unit of weight;
/// - `geo_based` takes the nearest instance to the client, else behaves as round robin.
///
/// A value type with no locks: the proxy keeps one per pool per event loop.
public struct LoadBalancer: Sendable {
    public let strategy: LoadBalancingStrategy
    private var turn = 0
    private var currentWeights: [BackendServiceID: Int] = [:]
    /// The tier's eligible candidates, rebuilt on each choice in the same storage.
    private var group: [UpstreamCandidate] = []

    public init(strategy: LoadBalancingStrategy) {
        self.strategy = strategy
    }

    /// The chosen instance, or `nil` when none is eligible (the proxy answers 503).
    public mutating func choose(
        from candidates: [UpstreamCandidate], client: GeoPoint? = nil, excluding tried: Set<BackendServiceID> = []
    ) -> BackendServiceID? {
        let needsWeight = strategy == .weighted
        func isEligible(_ candidate: UpstreamCandidate) -> Bool {
            candidate.isAvailable && !tried.contains(candidate.id) && (!needsWeight || candidate.weight > 0)
        }
        var lowestTier: Int?
        for candidate in candidates where isEligible(candidate) { lowestTier = min(lowestTier ?? candidate.priority, candidate.priority) }
        guard let tier = lowestTier else { return nil }
        group.removeAll(keepingCapacity: true)
        for candidate in candidates where candidate.priority == tier && isEligible(candidate) { group.append(candidate) }
        switch strategy {
        case .roundRobin:
            return takeTurn(group)
        case .weighted:
            return smoothWeighted(group)
        case .leastConnections:
            let load = { (candidate: UpstreamCandidate) in Double(candidate.activeRequests + 1) / Double(max(candidate.weight, 1)) }
            let lowest = group.map(load).min()!
            return takeTurn(group.filter { load($0) == lowest })
        case .geoBased:
            guard let client else { return takeTurn(group) }
            let located = group.compactMap { candidate in candidate.location.map { (candidate, $0.distance(to: client)) } }
            guard let nearest = located.map(\.1).min() else { return takeTurn(group) }
            // Instances within a kilometre of the nearest share the load.
            return takeTurn(located.filter { $0.1 <= nearest + 1 }.map(\.0))
        }
    }

    private mutating func takeTurn(_ group: [UpstreamCandidate]) -> BackendServiceID? {
        guard !group.isEmpty else { return nil }
        defer { turn &+= 1 }
        return group[turn % group.count].id
    }

    private mutating func smoothWeighted(_ group: [UpstreamCandidate]) -> BackendServiceID? {
        guard !group.isEmpty else { return nil }
        var total = 0
        var best: UpstreamCandidate?
        var bestWeight = Int.min
        for candidate in group {
            let current = currentWeights[candidate.id, default: 0] + candidate.weight
            currentWeights[candidate.id] = current
            total += candidate.weight
            if current > bestWeight {
                best = candidate
                bestWeight = current
            }
        }
        guard let best else { return nil }
        currentWeights[best.id, default: 0] -= total
        return best.id
    }
}
