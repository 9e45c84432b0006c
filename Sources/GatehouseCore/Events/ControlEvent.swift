/// Everything that can happen to the gateway's configuration and operational state. Past tense;
/// each carries the full new state of its entity (and, for updates, the changed fields), so
/// `evolve` and audit diffs need nothing else. These are the storage contract: never renamed.
public enum ControlEvent: Sendable, Hashable {
    case gatewayCreated(Gateway)
    case gatewayUpdated(Gateway, changes: [FieldChange])
    case gatewayRemoved(Gateway)

    case backendServiceRegistered(BackendService)
    case backendServiceUpdated(BackendService, changes: [FieldChange])
    case backendServiceDeregistered(BackendService)

    case routeDefined(Route)
    case routeUpdated(Route, changes: [FieldChange])
    case routeEnabled(Route)
    case routeDisabled(Route)
    case routeRemoved(Route)

    case apiKeyIssued(APIKey)
    case apiKeyUpdated(APIKey, changes: [FieldChange])
    case apiKeyRotated(APIKey)
    case apiKeyRevoked(APIKey)

    case rateLimitPolicyDefined(RateLimitPolicy)
    case rateLimitPolicyUpdated(RateLimitPolicy, changes: [FieldChange])
    case rateLimitPolicyRemoved(RateLimitPolicy)

    case apiVersionPublished(APIVersion)
    case apiVersionUpdated(APIVersion, changes: [FieldChange])
    case apiVersionDeprecated(APIVersion)
    case apiVersionSunset(APIVersion)
    case apiVersionRemoved(APIVersion)

    case apiDocumentationPublished(APIDocumentation)
    case apiDocumentationRemoved(APIDocumentation)

    case instanceHealthChanged(InstanceHealthChange)
    case circuitOpened(CircuitTransition)
    case circuitHalfOpened(CircuitTransition)
    case circuitClosed(CircuitTransition)
    case cacheInvalidated(CacheInvalidation)
    case alertRaised(AlertNotice)
    case alertResolved(AlertNotice)
    case outcomesDropped(OutcomesDropped)
    case outcomesPruned(OutcomesPruned)
}
