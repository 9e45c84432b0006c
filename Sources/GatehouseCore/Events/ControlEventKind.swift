/// The stable numeric id and name of every control event type. Ids are never reused.
public enum ControlEventKind: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case gatewayCreated = 1, gatewayUpdated = 2, gatewayRemoved = 3
    case backendServiceRegistered = 10, backendServiceUpdated = 11, backendServiceDeregistered = 12
    case routeDefined = 20, routeUpdated = 21, routeEnabled = 22, routeDisabled = 23, routeRemoved = 24
    case apiKeyIssued = 30, apiKeyUpdated = 31, apiKeyRotated = 32, apiKeyRevoked = 33
    case rateLimitPolicyDefined = 40, rateLimitPolicyUpdated = 41, rateLimitPolicyRemoved = 42
    case apiVersionPublished = 50, apiVersionUpdated = 51, apiVersionDeprecated = 52, apiVersionSunset = 53, apiVersionRemoved = 54
    case apiDocumentationPublished = 60, apiDocumentationRemoved = 61
    case instanceHealthChanged = 100, circuitOpened = 101, circuitHalfOpened = 102, circuitClosed = 103
    case cacheInvalidated = 110, alertRaised = 120, alertResolved = 121, outcomesDropped = 130, outcomesPruned = 131

    /// The event's name as shown in audits, e.g. `RouteDefined`.
    public var name: String {
        switch self {
        case .gatewayCreated: "GatewayCreated"
        case .gatewayUpdated: "GatewayUpdated"
        case .gatewayRemoved: "GatewayRemoved"
        case .backendServiceRegistered: "BackendServiceRegistered"
        case .backendServiceUpdated: "BackendServiceUpdated"
        case .backendServiceDeregistered: "BackendServiceDeregistered"
        case .routeDefined: "RouteDefined"
        case .routeUpdated: "RouteUpdated"
        case .routeEnabled: "RouteEnabled"
        case .routeDisabled: "RouteDisabled"
        case .routeRemoved: "RouteRemoved"
        case .apiKeyIssued: "APIKeyIssued"
        case .apiKeyUpdated: "APIKeyUpdated"
        case .apiKeyRotated: "APIKeyRotated"
        case .apiKeyRevoked: "APIKeyRevoked"
        case .rateLimitPolicyDefined: "RateLimitPolicyDefined"
        case .rateLimitPolicyUpdated: "RateLimitPolicyUpdated"
        case .rateLimitPolicyRemoved: "RateLimitPolicyRemoved"
        case .apiVersionPublished: "APIVersionPublished"
        case .apiVersionUpdated: "APIVersionUpdated"
        case .apiVersionDeprecated: "APIVersionDeprecated"
        case .apiVersionSunset: "APIVersionSunset"
        case .apiVersionRemoved: "APIVersionRemoved"
        case .apiDocumentationPublished: "APIDocumentationPublished"
        case .apiDocumentationRemoved: "APIDocumentationRemoved"
        case .instanceHealthChanged: "InstanceHealthChanged"
        case .circuitOpened: "CircuitOpened"
        case .circuitHalfOpened: "CircuitHalfOpened"
        case .circuitClosed: "CircuitClosed"
        case .cacheInvalidated: "CacheInvalidated"
        case .alertRaised: "AlertRaised"
        case .alertResolved: "AlertResolved"
        case .outcomesDropped: "OutcomesDropped"
        case .outcomesPruned: "OutcomesPruned"
        }
    }

    public var description: String { name }

    /// Finds a kind by its name (`RouteDefined`), case-insensitively.
    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        self = kind
    }

    /// `true` for configuration changes, `false` for operational facts.
    public var isConfigChange: Bool { rawValue < 100 }
}

extension ControlEvent {
    /// This event's kind.
    public var kind: ControlEventKind {
        switch self {
        case .gatewayCreated: .gatewayCreated
        case .gatewayUpdated: .gatewayUpdated
        case .gatewayRemoved: .gatewayRemoved
        case .backendServiceRegistered: .backendServiceRegistered
        case .backendServiceUpdated: .backendServiceUpdated
        case .backendServiceDeregistered: .backendServiceDeregistered
        case .routeDefined: .routeDefined
        case .routeUpdated: .routeUpdated
        case .routeEnabled: .routeEnabled
        case .routeDisabled: .routeDisabled
        case .routeRemoved: .routeRemoved
        case .apiKeyIssued: .apiKeyIssued
        case .apiKeyUpdated: .apiKeyUpdated
        case .apiKeyRotated: .apiKeyRotated
        case .apiKeyRevoked: .apiKeyRevoked
        case .rateLimitPolicyDefined: .rateLimitPolicyDefined
        case .rateLimitPolicyUpdated: .rateLimitPolicyUpdated
        case .rateLimitPolicyRemoved: .rateLimitPolicyRemoved
        case .apiVersionPublished: .apiVersionPublished
        case .apiVersionUpdated: .apiVersionUpdated
        case .apiVersionDeprecated: .apiVersionDeprecated
        case .apiVersionSunset: .apiVersionSunset
        case .apiVersionRemoved: .apiVersionRemoved
        case .apiDocumentationPublished: .apiDocumentationPublished
        case .apiDocumentationRemoved: .apiDocumentationRemoved
        case .instanceHealthChanged: .instanceHealthChanged
        case .circuitOpened: .circuitOpened
        case .circuitHalfOpened: .circuitHalfOpened
        case .circuitClosed: .circuitClosed
        case .cacheInvalidated: .cacheInvalidated
        case .alertRaised: .alertRaised
        case .alertResolved: .alertResolved
        case .outcomesDropped: .outcomesDropped
        case .outcomesPruned: .outcomesPruned
        }
    }
}
