/// One upstream instance (`backend_services`). Instances that share a `service_name` within a
/// gateway form the pool a route balances over.
public struct BackendService: Codable, Sendable, Hashable, Identifiable {
    public var id: BackendServiceID
    public var gatewayID: GatewayID
    public var serviceName: String
    public var serviceVersion: String
    public var serviceURL: String
    public var healthCheckEndpoint: String
    /// Share of traffic under weighted balancing; 0 drains the instance.
    public var weight: Int
    /// Failover tier: lower numbers are tried first.
    public var priority: Int
    /// Last known health, changed by health events.
    public var isHealthy: Bool
    public var maxConnections: Int
    public var timeoutMS: Int
    public var retryAttempts: Int
    public var circuitBreakerConfig: CircuitBreakerConfig
    /// Free-form; `region`, `latitude`, `longitude` are read by geo balancing.
    public var metadata: JSONValue
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, weight, priority, metadata
        case gatewayID = "gateway_id"
        case serviceName = "service_name"
        case serviceVersion = "service_version"
        case serviceURL = "service_url"
        case healthCheckEndpoint = "health_check_endpoint"
        case isHealthy = "is_healthy"
        case maxConnections = "max_connections"
        case timeoutMS = "timeout_ms"
        case retryAttempts = "retry_attempts"
        case circuitBreakerConfig = "circuit_breaker_config"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: BackendServiceID = BackendServiceID(), gatewayID: GatewayID, serviceName: String, serviceVersion: String = "1.0.0",
        serviceURL: String, healthCheckEndpoint: String = "/health", weight: Int = 100, priority: Int = 1, isHealthy: Bool = true,
        maxConnections: Int = 100, timeoutMS: Int = 30000, retryAttempts: Int = 3,
        circuitBreakerConfig: CircuitBreakerConfig = CircuitBreakerConfig(), metadata: JSONValue = .emptyObject,
        createdAt: Timestamp = Timestamp(microseconds: 0), updatedAt: Timestamp = Timestamp(microseconds: 0)
    ) {
        self.id = id
        self.gatewayID = gatewayID
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
        self.serviceURL = serviceURL
        self.healthCheckEndpoint = healthCheckEndpoint
        self.weight = weight
        self.priority = priority
        self.isHealthy = isHealthy
        self.maxConnections = maxConnections
        self.timeoutMS = timeoutMS
        self.retryAttempts = retryAttempts
        self.circuitBreakerConfig = circuitBreakerConfig
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
