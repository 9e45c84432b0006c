import GatehouseCore

/// What the balancer knows about one instance at the moment of choosing.
public struct UpstreamCandidate: Sendable, Hashable {
    public var id: BackendServiceID
    /// Share under weighted balancing; 0 drains the instance.
    public var weight: Int
    /// Failover tier: the lowest tier with an available instance is used.
    public var priority: Int
    /// Healthy and admitted by its circuit breaker.
    public var isAvailable: Bool
    /// Requests in flight to it (for least connections).
    public var activeRequests: Int
    /// Where it runs (for geo balancing).
    public var location: GeoPoint?

    public init(id: BackendServiceID, weight: Int = 100, priority: Int = 1, isAvailable: Bool = true, activeRequests: Int = 0, location: GeoPoint? = nil) {
        self.id = id
        self.weight = weight
        self.priority = priority
        self.isAvailable = isAvailable
        self.activeRequests = activeRequests
        self.location = location
    }

    /// A candidate for `service` with its configured weight, priority and location.
    public init(_ service: BackendService, isAvailable: Bool, activeRequests: Int) {
        self.init(
            id: service.id, weight: service.weight, priority: service.priority, isAvailable: isAvailable && service.isHealthy,
            activeRequests: activeRequests, location: GeoPoint(metadata: service.metadata)
        )
    }
}
