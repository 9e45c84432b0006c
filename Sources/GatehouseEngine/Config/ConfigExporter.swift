import GatehouseCore
import Yams

/// Writes a state back as a ``ConfigDocument`` (and YAML) that `config apply` reproduces
/// exactly: applying an export to the state it came from changes nothing. Keys are exported
/// by hash and prefix; plaintexts are never stored, so never exported.
public enum ConfigExporter {
    /// The document describing `state`.
    public static func document(of state: ConfigState) -> ConfigDocument {
        let gateways = state.gateways.values.sorted { $0.name < $1.name }.map { gateway in
            let versions = state.apiVersions(in: gateway.id)
            return GatewayDocument(
                name: gateway.name, description: gateway.description, baseURL: gateway.baseURL, isEnabled: gateway.isEnabled,
                isDefault: gateway.isDefault, loadBalancingStrategy: gateway.loadBalancingStrategy,
                healthCheckInterval: gateway.healthCheckInterval, timeoutConfig: gateway.timeoutConfig, sslConfig: gateway.sslConfig,
                corsConfig: gateway.corsConfig, ipRestriction: gateway.ipRestriction, jwtConfig: gateway.jwtConfig, alerting: gateway.alerting,
                oauthIntrospection: gateway.oauthIntrospection,
                services: state.backendServices(in: gateway.id).map(serviceDocument),
                versions: versions.map(versionDocument),
                routes: state.routes(in: gateway.id).map { route in
                    routeDocument(
                        route, service: state.backendServices[route.backendServiceID]?.serviceName ?? "",
                        version: route.apiVersionID.flatMap { state.apiVersions[$0]?.versionName }
                    )
                }
            )
        }
        let policies = state.rateLimitPolicies.values.sorted { $0.policyName < $1.policyName }.map(policyDocument)
        let keys = state.apiKeys.values.filter { $0.revokedAt == nil }
            .sorted { ($0.keyName, $0.ownerID ?? "") < ($1.keyName, $1.ownerID ?? "") }.map(keyDocument)
        return ConfigDocument(gateways: gateways, rateLimitPolicies: policies, apiKeys: keys)
    }

    /// `state` as YAML.
    public static func yaml(of state: ConfigState) throws -> String {
        try YAMLEncoder().encode(document(of: state))
    }

    private static func serviceDocument(_ service: BackendService) -> BackendServiceDocument {
        BackendServiceDocument(
            serviceName: service.serviceName, serviceVersion: service.serviceVersion, serviceURL: service.serviceURL,
            healthCheckEndpoint: service.healthCheckEndpoint, weight: service.weight, priority: service.priority,
            maxConnections: service.maxConnections, timeoutMS: service.timeoutMS, retryAttempts: service.retryAttempts,
            circuitBreakerConfig: service.circuitBreakerConfig, metadata: service.metadata
        )
    }

    private static func versionDocument(_ version: APIVersion) -> APIVersionDocument {
        APIVersionDocument(
            versionName: version.versionName, versionNumber: version.versionNumber, isDefault: version.isDefault,
            isDeprecated: version.isDeprecated, deprecationDate: version.deprecationDate, sunsetDate: version.sunsetDate,
            changelog: version.changelog, migrationGuide: version.migrationGuide, supportedFeatures: version.supportedFeatures,
            breakingChanges: version.breakingChanges, rollout: version.rollout
        )
    }

    private static func routeDocument(_ route: Route, service: String, version: String?) -> RouteDocument {
        RouteDocument(
            routePath: route.routePath, routeMethod: route.routeMethod, service: service, upstreamPath: route.upstreamPath,
            isEnabled: route.isEnabled, routePriority: route.routePriority, version: version, middlewareConfig: route.middlewareConfig,
            rateLimitConfig: route.rateLimitConfig, authRequirements: route.authRequirements, cacheConfig: route.cacheConfig,
            transformationConfig: route.transformationConfig
        )
    }

    private static func policyDocument(_ policy: RateLimitPolicy) -> RateLimitPolicyDocument {
        RateLimitPolicyDocument(
            policyName: policy.policyName, tier: policy.tier, requestsPerSecond: policy.requestsPerSecond,
            requestsPerMinute: policy.requestsPerMinute, requestsPerHour: policy.requestsPerHour, requestsPerDay: policy.requestsPerDay,
            burstLimit: policy.burstLimit, quotaResetStrategy: policy.quotaResetStrategy,
            blockedDurationSeconds: policy.blockedDurationSeconds, isActive: policy.isActive, enforcement: policy.enforcement
        )
    }

    private static func keyDocument(_ key: APIKey) -> APIKeyDocument {
        APIKeyDocument(
            keyName: key.keyName, key: nil, apiKeyHash: key.apiKeyHash, apiKeyPrefix: key.apiKeyPrefix, ownerID: key.ownerID,
            ownerType: key.ownerType, scopes: key.scopes, allowedOrigins: key.allowedOrigins, rateLimitTier: key.rateLimitTier,
            usageQuota: key.usageQuota, isActive: key.isActive, expiresAt: key.expiresAt, metadata: key.metadata
        )
    }
}
