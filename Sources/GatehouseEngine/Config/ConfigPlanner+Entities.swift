import GatehouseCore

/// Builds entities from their documents, filling the spec's defaults.
extension ConfigPlanner {
    static func gateway(_ document: GatewayDocument, id: GatewayID) -> Gateway {
        Gateway(
            id: id, name: document.name, description: document.description ?? "", baseURL: document.baseURL,
            isEnabled: document.isEnabled ?? true, isDefault: document.isDefault ?? false,
            loadBalancingStrategy: document.loadBalancingStrategy ?? .roundRobin, healthCheckInterval: document.healthCheckInterval ?? 30,
            timeoutConfig: document.timeoutConfig ?? TimeoutConfig(), sslConfig: document.sslConfig ?? SSLConfig(),
            corsConfig: document.corsConfig ?? CORSConfig(), ipRestriction: document.ipRestriction,
            jwtConfig: document.jwtConfig, oauthIntrospection: document.oauthIntrospection, alerting: document.alerting
        )
    }

    static func service(_ document: BackendServiceDocument, id: BackendServiceID, gateway: GatewayID, current: BackendService?) -> BackendService {
        BackendService(
            id: id, gatewayID: gateway, serviceName: document.serviceName, serviceVersion: document.serviceVersion ?? "1.0.0",
            serviceURL: document.serviceURL, healthCheckEndpoint: document.healthCheckEndpoint ?? "/health",
            weight: document.weight ?? 100, priority: document.priority ?? 1, isHealthy: current?.isHealthy ?? true,
            maxConnections: document.maxConnections ?? 100, timeoutMS: document.timeoutMS ?? 30000,
            retryAttempts: document.retryAttempts ?? 3, circuitBreakerConfig: document.circuitBreakerConfig ?? CircuitBreakerConfig(),
            metadata: document.metadata ?? .emptyObject
        )
    }

    static func route(_ document: RouteDocument, id: RouteID, gateway: GatewayID, target: BackendServiceID, version: APIVersionID?) -> Route {
        Route(
            id: id, gatewayID: gateway, routePath: document.routePath, routeMethod: document.routeMethod, backendServiceID: target,
            upstreamPath: document.upstreamPath, isEnabled: document.isEnabled ?? true, routePriority: document.routePriority ?? 1,
            apiVersionID: version, middlewareConfig: document.middlewareConfig ?? [],
            rateLimitConfig: document.rateLimitConfig ?? RouteRateLimitConfig(), authRequirements: document.authRequirements ?? AuthRequirements(),
            cacheConfig: document.cacheConfig ?? CacheConfig(), transformationConfig: document.transformationConfig ?? TransformationConfig()
        )
    }

    static func version(_ document: APIVersionDocument, id: APIVersionID, gateway: GatewayID) -> APIVersion {
        APIVersion(
            id: id, gatewayID: gateway, versionName: document.versionName, versionNumber: document.versionNumber,
            isDefault: document.isDefault ?? false, isDeprecated: document.isDeprecated ?? false,
            deprecationDate: document.deprecationDate, sunsetDate: document.sunsetDate, changelog: document.changelog,
            migrationGuide: document.migrationGuide, supportedFeatures: document.supportedFeatures ?? [],
            breakingChanges: document.breakingChanges ?? [], rollout: document.rollout
        )
    }

    static func policy(_ document: RateLimitPolicyDocument, id: RateLimitPolicyID) -> RateLimitPolicy {
        let defaults = RateLimitPolicy(policyName: "", tier: document.tier)
        return RateLimitPolicy(
            id: id, policyName: document.policyName, tier: document.tier,
            requestsPerSecond: document.requestsPerSecond ?? defaults.requestsPerSecond,
            requestsPerMinute: document.requestsPerMinute ?? defaults.requestsPerMinute,
            requestsPerHour: document.requestsPerHour ?? defaults.requestsPerHour,
            requestsPerDay: document.requestsPerDay ?? defaults.requestsPerDay, burstLimit: document.burstLimit ?? defaults.burstLimit,
            quotaResetStrategy: document.quotaResetStrategy ?? defaults.quotaResetStrategy,
            blockedDurationSeconds: document.blockedDurationSeconds ?? defaults.blockedDurationSeconds,
            isActive: document.isActive ?? true, enforcement: document.enforcement ?? .enforce
        )
    }
}
