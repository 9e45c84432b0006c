import GatehouseCore

/// The declarative configuration file (`gatehouse config apply FILE.yaml`): the whole desired
/// configuration, entities identified by name rather than id. Absent optional fields mean the
/// spec's defaults. See `fixtures/wedsync.yaml`.
public struct ConfigDocument: Codable, Sendable, Equatable {
    public var gateways: [GatewayDocument]
    public var rateLimitPolicies: [RateLimitPolicyDocument]
    public var apiKeys: [APIKeyDocument]

    enum CodingKeys: String, CodingKey {
        case gateways
        case rateLimitPolicies = "rate_limit_policies"
        case apiKeys = "api_keys"
    }

    public init(gateways: [GatewayDocument] = [], rateLimitPolicies: [RateLimitPolicyDocument] = [], apiKeys: [APIKeyDocument] = []) {
        self.gateways = gateways
        self.rateLimitPolicies = rateLimitPolicies
        self.apiKeys = apiKeys
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gateways = try container.decodeIfPresent([GatewayDocument].self, forKey: .gateways) ?? []
        rateLimitPolicies = try container.decodeIfPresent([RateLimitPolicyDocument].self, forKey: .rateLimitPolicies) ?? []
        apiKeys = try container.decodeIfPresent([APIKeyDocument].self, forKey: .apiKeys) ?? []
    }
}

/// A gateway with its instances, routes and versions.
public struct GatewayDocument: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    public var baseURL: String
    public var isEnabled: Bool?
    public var isDefault: Bool?
    public var loadBalancingStrategy: LoadBalancingStrategy?
    public var healthCheckInterval: Int?
    public var timeoutConfig: TimeoutConfig?
    public var sslConfig: SSLConfig?
    public var corsConfig: CORSConfig?
    public var ipRestriction: IPRestriction?
    public var jwtConfig: JWTConfig?
    public var alerting: AlertingConfig?
    public var oauthIntrospection: OAuthIntrospection?
    public var services: [BackendServiceDocument]?
    public var versions: [APIVersionDocument]?
    public var routes: [RouteDocument]?

    enum CodingKeys: String, CodingKey {
        case name
        case description
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
        case alerting
        case oauthIntrospection = "oauth_introspection"
        case services
        case versions
        case routes
    }
}

/// One upstream instance; instances sharing `service_name` form a pool.
public struct BackendServiceDocument: Codable, Sendable, Equatable {
    public var serviceName: String
    public var serviceVersion: String?
    public var serviceURL: String
    public var healthCheckEndpoint: String?
    public var weight: Int?
    public var priority: Int?
    public var maxConnections: Int?
    public var timeoutMS: Int?
    public var retryAttempts: Int?
    public var circuitBreakerConfig: CircuitBreakerConfig?
    public var metadata: JSONValue?

    enum CodingKeys: String, CodingKey {
        case serviceName = "service_name"
        case serviceVersion = "service_version"
        case serviceURL = "service_url"
        case healthCheckEndpoint = "health_check_endpoint"
        case weight
        case priority
        case maxConnections = "max_connections"
        case timeoutMS = "timeout_ms"
        case retryAttempts = "retry_attempts"
        case circuitBreakerConfig = "circuit_breaker_config"
        case metadata
    }
}

/// A route; `service` names the target pool, `version` an API version of the same gateway.
public struct RouteDocument: Codable, Sendable, Equatable {
    public var routePath: String
    public var routeMethod: RouteMethod
    public var service: String
    public var upstreamPath: String?
    public var isEnabled: Bool?
    public var routePriority: Int?
    public var version: String?
    public var middlewareConfig: [MiddlewareStep]?
    public var rateLimitConfig: RouteRateLimitConfig?
    public var authRequirements: AuthRequirements?
    public var cacheConfig: CacheConfig?
    public var transformationConfig: TransformationConfig?

    enum CodingKeys: String, CodingKey {
        case routePath = "route_path"
        case routeMethod = "route_method"
        case service
        case upstreamPath = "upstream_path"
        case isEnabled = "is_enabled"
        case routePriority = "route_priority"
        case version
        case middlewareConfig = "middleware_config"
        case rateLimitConfig = "rate_limit_config"
        case authRequirements = "auth_requirements"
        case cacheConfig = "cache_config"
        case transformationConfig = "transformation_config"
    }
}

/// An API version of a gateway.
public struct APIVersionDocument: Codable, Sendable, Equatable {
    public var versionName: String
    public var versionNumber: String
    public var isDefault: Bool?
    public var isDeprecated: Bool?
    public var deprecationDate: Timestamp?
    public var sunsetDate: Timestamp?
    public var changelog: String?
    public var migrationGuide: String?
    public var supportedFeatures: [String]?
    public var breakingChanges: [String]?
    public var rollout: VersionRollout?

    enum CodingKeys: String, CodingKey {
        case rollout
        case versionName = "version_name"
        case versionNumber = "version_number"
        case isDefault = "is_default"
        case isDeprecated = "is_deprecated"
        case deprecationDate = "deprecation_date"
        case sunsetDate = "sunset_date"
        case changelog
        case migrationGuide = "migration_guide"
        case supportedFeatures = "supported_features"
        case breakingChanges = "breaking_changes"
    }
}

/// The limits of one tier.
public struct RateLimitPolicyDocument: Codable, Sendable, Equatable {
    public var policyName: String
    public var tier: RateLimitTier
    public var requestsPerSecond: Int?
    public var requestsPerMinute: Int?
    public var requestsPerHour: Int?
    public var requestsPerDay: Int?
    public var burstLimit: Int?
    public var quotaResetStrategy: QuotaResetStrategy?
    public var blockedDurationSeconds: Int?
    public var isActive: Bool?
    public var enforcement: EnforcementMode?

    enum CodingKeys: String, CodingKey {
        case policyName = "policy_name"
        case tier
        case requestsPerSecond = "requests_per_second"
        case requestsPerMinute = "requests_per_minute"
        case requestsPerHour = "requests_per_hour"
        case requestsPerDay = "requests_per_day"
        case burstLimit = "burst_limit"
        case quotaResetStrategy = "quota_reset_strategy"
        case blockedDurationSeconds = "blocked_duration_seconds"
        case isActive = "is_active"
        case enforcement
    }
}

/// A declared API key. `key` is a plaintext for local use (hashed on apply, never stored);
/// exports carry `api_key_hash` and `api_key_prefix` instead.
public struct APIKeyDocument: Codable, Sendable, Equatable {
    public var keyName: String
    public var key: String?
    public var apiKeyHash: String?
    public var apiKeyPrefix: String?
    public var ownerID: String?
    public var ownerType: OwnerType?
    public var scopes: [String]?
    public var allowedOrigins: [String]?
    public var rateLimitTier: RateLimitTier?
    public var usageQuota: UsageQuota?
    public var isActive: Bool?
    public var expiresAt: Timestamp?
    public var metadata: JSONValue?

    enum CodingKeys: String, CodingKey {
        case keyName = "key_name"
        case key
        case apiKeyHash = "api_key_hash"
        case apiKeyPrefix = "api_key_prefix"
        case ownerID = "owner_id"
        case ownerType = "owner_type"
        case scopes
        case allowedOrigins = "allowed_origins"
        case rateLimitTier = "rate_limit_tier"
        case usageQuota = "usage_quota"
        case isActive = "is_active"
        case expiresAt = "expires_at"
        case metadata
    }
}
