import EventLog

/// Everything the control events say about the gateway now: the spec's tables, held as a pure
/// projection. Built by folding events with ``evolve(_:sequence:time:)``; never by anything else.
public struct ConfigState: Codable, Sendable, Hashable {
    public var gateways: [GatewayID: Gateway] = [:]
    public var backendServices: [BackendServiceID: BackendService] = [:]
    public var routes: [RouteID: Route] = [:]
    public var apiKeys: [APIKeyID: APIKey] = [:]
    public var rateLimitPolicies: [RateLimitPolicyID: RateLimitPolicy] = [:]
    public var apiVersions: [APIVersionID: APIVersion] = [:]
    public var apiDocumentation: [APIDocumentationID: APIDocumentation] = [:]
    /// Last recorded breaker state per instance.
    public var circuitBreakers: [BackendServiceID: CircuitBreakerState] = [:]
    /// Alerts raised and not yet resolved, by alert id.
    public var activeAlerts: [String: AlertNotice] = [:]
    /// Outcomes the log admits it lost (see ``OutcomesDropped``).
    public var droppedOutcomes: Int = 0
    /// Traffic records at or below this sequence were pruned after roll-up (see ``OutcomesPruned``).
    public var prunedThrough: SequenceNumber = 0
    /// The sequence of the last config event that touched each entity, for `If-Match`.
    public var revisions: [String: SequenceNumber] = [:]
    /// The last sequence folded in.
    public var lastSequence: SequenceNumber = 0

    /// The empty configuration.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case gateways, routes, revisions
        case backendServices = "backend_services"
        case apiKeys = "api_keys"
        case rateLimitPolicies = "rate_limit_policies"
        case apiVersions = "api_versions"
        case apiDocumentation = "api_documentation"
        case circuitBreakers = "circuit_breakers"
        case activeAlerts = "active_alerts"
        case droppedOutcomes = "dropped_outcomes"
        case prunedThrough = "pruned_through"
        case lastSequence = "last_sequence"
    }

    /// The revision (sequence of last change) of an entity, for optimistic concurrency.
    public func revision<Entity>(of id: Identifier<Entity>) -> SequenceNumber? {
        revisions[id.description]
    }
}
