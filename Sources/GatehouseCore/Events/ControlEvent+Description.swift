extension ControlEvent {
    /// What the event is about, for audits: `route GET /api/v1/weddings`, `gateway wedsync-api-gateway`.
    public var subject: String {
        switch self {
        case .gatewayCreated(let gateway), .gatewayUpdated(let gateway, _), .gatewayRemoved(let gateway):
            "gateway \(gateway.name)"
        case .backendServiceRegistered(let service), .backendServiceUpdated(let service, _), .backendServiceDeregistered(let service):
            "service \(service.serviceName) \(service.serviceVersion) \(service.serviceURL)"
        case .routeDefined(let route), .routeUpdated(let route, _), .routeEnabled(let route), .routeDisabled(let route), .routeRemoved(let route):
            "route \(route.routeMethod.rawValue) \(route.routePath)"
        case .apiKeyIssued(let key), .apiKeyUpdated(let key, _), .apiKeyRotated(let key), .apiKeyRevoked(let key):
            "key \(key.keyName) (\(key.apiKeyPrefix)…)"
        case .rateLimitPolicyDefined(let policy), .rateLimitPolicyUpdated(let policy, _), .rateLimitPolicyRemoved(let policy):
            "policy \(policy.policyName) (\(policy.tier.rawValue))"
        case .apiVersionPublished(let version), .apiVersionUpdated(let version, _), .apiVersionDeprecated(let version),
             .apiVersionSunset(let version), .apiVersionRemoved(let version):
            "version \(version.versionName) (\(version.versionNumber))"
        case .apiDocumentationPublished(let document), .apiDocumentationRemoved(let document):
            "documentation \(document.id)"
        case .instanceHealthChanged(let change):
            "instance \(change.backendServiceID) \(change.isHealthy ? "healthy" : "unhealthy") (\(change.reason))"
        case .circuitOpened(let transition), .circuitHalfOpened(let transition), .circuitClosed(let transition):
            "breaker of instance \(transition.backendServiceID)"
        case .cacheInvalidated(let invalidation):
            "cache \(invalidation.selector): \(invalidation.count) entries, \(invalidation.bytes) bytes"
        case .alertRaised(let alert), .alertResolved(let alert):
            "alert \(alert.rule): \(alert.message)"
        case .outcomesDropped(let dropped):
            "\(dropped.count) outcomes dropped between \(dropped.from) and \(dropped.to)"
        case .outcomesPruned(let pruned):
            "\(pruned.count) outcomes before \(pruned.before) pruned (through sequence \(pruned.throughSequence)), rolled up"
        }
    }

    /// The changed fields, for update events; empty otherwise.
    public var changes: [FieldChange] {
        switch self {
        case .gatewayUpdated(_, let changes), .backendServiceUpdated(_, let changes), .routeUpdated(_, let changes),
             .apiKeyUpdated(_, let changes), .rateLimitPolicyUpdated(_, let changes), .apiVersionUpdated(_, let changes):
            changes
        default:
            []
        }
    }
}
