/// A route (`api_routes`): a path template and method on a gateway, sent to a service.
public struct Route: Codable, Sendable, Hashable, Identifiable {
    public var id: RouteID
    public var gatewayID: GatewayID
    /// Template such as `/api/v1/weddings/{weddingId}`; a final `*` matches any tail.
    public var routePath: String
    public var routeMethod: RouteMethod
    /// An instance of the target service; the route balances over all instances with its name.
    public var backendServiceID: BackendServiceID
    /// Path sent upstream, with `{param}` substitution; `nil` keeps the request path.
    public var upstreamPath: String?
    public var isEnabled: Bool
    /// Higher priority routes are matched first.
    public var routePriority: Int
    /// The API version this route belongs to, if any.
    public var apiVersionID: APIVersionID?
    public var middlewareConfig: [MiddlewareStep]
    public var rateLimitConfig: RouteRateLimitConfig
    public var authRequirements: AuthRequirements
    public var cacheConfig: CacheConfig
    public var transformationConfig: TransformationConfig
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id
        case gatewayID = "gateway_id"
        case routePath = "route_path"
        case routeMethod = "route_method"
        case backendServiceID = "backend_service_id"
        case upstreamPath = "upstream_path"
        case isEnabled = "is_enabled"
        case routePriority = "route_priority"
        case apiVersionID = "api_version_id"
        case middlewareConfig = "middleware_config"
        case rateLimitConfig = "rate_limit_config"
        case authRequirements = "auth_requirements"
        case cacheConfig = "cache_config"
        case transformationConfig = "transformation_config"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: RouteID = RouteID(), gatewayID: GatewayID, routePath: String, routeMethod: RouteMethod,
        backendServiceID: BackendServiceID, upstreamPath: String? = nil, isEnabled: Bool = true, routePriority: Int = 1,
        apiVersionID: APIVersionID? = nil, middlewareConfig: [MiddlewareStep] = [], rateLimitConfig: RouteRateLimitConfig = RouteRateLimitConfig(),
        authRequirements: AuthRequirements = AuthRequirements(), cacheConfig: CacheConfig = CacheConfig(),
        transformationConfig: TransformationConfig = TransformationConfig(),
        createdAt: Timestamp = Timestamp(microseconds: 0), updatedAt: Timestamp = Timestamp(microseconds: 0)
    ) {
        self.id = id
        self.gatewayID = gatewayID
        self.routePath = routePath
        self.routeMethod = routeMethod
        self.backendServiceID = backendServiceID
        self.upstreamPath = upstreamPath
        self.isEnabled = isEnabled
        self.routePriority = routePriority
        self.apiVersionID = apiVersionID
        self.middlewareConfig = middlewareConfig
        self.rateLimitConfig = rateLimitConfig
        self.authRequirements = authRequirements
        self.cacheConfig = cacheConfig
        self.transformationConfig = transformationConfig
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
