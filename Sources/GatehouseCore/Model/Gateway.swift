/// A gateway (`api_gateways`): one front door, selected by the host (and path prefix) of its
/// `base_url`; the default gateway answers any host.
public struct Gateway: Codable, Sendable, Hashable, Identifiable {
    public var id: GatewayID
    public var name: String
    public var description: String
    public var baseURL: String
    public var isEnabled: Bool
    /// Answers requests whose host matches no other gateway.
    public var isDefault: Bool
    public var loadBalancingStrategy: LoadBalancingStrategy
    /// Seconds between active health checks.
    public var healthCheckInterval: Int
    public var timeoutConfig: TimeoutConfig
    public var sslConfig: SSLConfig
    public var corsConfig: CORSConfig
    /// Client addresses allowed or denied for every route of the gateway (`nil`: no rule).
    public var ipRestriction: IPRestriction?
    /// Trusted JWT issuers (`nil`: API keys only).
    public var jwtConfig: JWTConfig?
    /// Where opaque bearer tokens are checked (`nil`: not accepted).
    public var oauthIntrospection: OAuthIntrospection?
    /// Alert rules and webhooks; `nil`: no alerting.
    public var alerting: AlertingConfig?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case baseURL = "base_url"
        case isEnabled = "is_enabled"
        case isDefault = "is_default"
        case loadBalancingStrategy = "load_balancing_strategy"
        case healthCheckInterval = "health_check_interval"
        case timeoutConfig = "timeout_config"
        case sslConfig = "ssl_config"
        case corsConfig = "cors_config"
        case ipRestriction = "ip_restriction"
        case jwtConfig = "jwt_config"
        case oauthIntrospection = "oauth_introspection"
        case alerting
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: GatewayID = GatewayID(), name: String, description: String = "", baseURL: String,
        isEnabled: Bool = true, isDefault: Bool = false, loadBalancingStrategy: LoadBalancingStrategy = .roundRobin,
        healthCheckInterval: Int = 30, timeoutConfig: TimeoutConfig = TimeoutConfig(), sslConfig: SSLConfig = SSLConfig(),
        corsConfig: CORSConfig = CORSConfig(), ipRestriction: IPRestriction? = nil, jwtConfig: JWTConfig? = nil, oauthIntrospection: OAuthIntrospection? = nil, alerting: AlertingConfig? = nil, createdAt: Timestamp = Timestamp(microseconds: 0), updatedAt: Timestamp = Timestamp(microseconds: 0)
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.baseURL = baseURL
        self.isEnabled = isEnabled
        self.isDefault = isDefault
        self.loadBalancingStrategy = loadBalancingStrategy
        self.healthCheckInterval = healthCheckInterval
        self.timeoutConfig = timeoutConfig
        self.sslConfig = sslConfig
        self.corsConfig = corsConfig
        self.ipRestriction = ipRestriction
        self.jwtConfig = jwtConfig
        self.oauthIntrospection = oauthIntrospection
        self.alerting = alerting
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
