/// The last recorded breaker state of an instance (`circuit_breaker_states`), a projection of
/// `Circuit…` events. The live breaker runs in the proxy; this is its durable trace.
public struct CircuitBreakerState: Codable, Sendable, Hashable {
    public var backendServiceID: BackendServiceID
    public var currentState: CircuitState
    public var failureCount: Int
    public var successCount: Int
    public var lastFailureAt: Timestamp?
    public var nextAttemptAt: Timestamp?
    public var stateChangedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case backendServiceID = "backend_service_id"
        case currentState = "current_state"
        case failureCount = "failure_count"
        case successCount = "success_count"
        case lastFailureAt = "last_failure_at"
        case nextAttemptAt = "next_attempt_at"
        case stateChangedAt = "state_changed_at"
    }

    public init(
        backendServiceID: BackendServiceID, currentState: CircuitState = .closed, failureCount: Int = 0, successCount: Int = 0,
        lastFailureAt: Timestamp? = nil, nextAttemptAt: Timestamp? = nil, stateChangedAt: Timestamp
    ) {
        self.backendServiceID = backendServiceID
        self.currentState = currentState
        self.failureCount = failureCount
        self.successCount = successCount
        self.lastFailureAt = lastFailureAt
        self.nextAttemptAt = nextAttemptAt
        self.stateChangedAt = stateChangedAt
    }
}
