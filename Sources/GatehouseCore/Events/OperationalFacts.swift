/// An instance became healthy or unhealthy (active check or passive ejection).
public struct InstanceHealthChange: Codable, Sendable, Hashable {
    public var backendServiceID: BackendServiceID
    public var isHealthy: Bool
    /// Why: `active_check_failed`, `passive_ejection`, `recovered`, …
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case backendServiceID = "backend_service_id"
        case isHealthy = "is_healthy"
        case reason
    }

    public init(backendServiceID: BackendServiceID, isHealthy: Bool, reason: String) {
        self.backendServiceID = backendServiceID
        self.isHealthy = isHealthy
        self.reason = reason
    }
}

/// A circuit breaker moved to a new state.
public struct CircuitTransition: Codable, Sendable, Hashable {
    public var backendServiceID: BackendServiceID
    public var failureCount: Int
    public var successCount: Int
    /// When an open breaker will admit trial calls.
    public var nextAttemptAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case backendServiceID = "backend_service_id"
        case failureCount = "failure_count"
        case successCount = "success_count"
        case nextAttemptAt = "next_attempt_at"
    }

    public init(backendServiceID: BackendServiceID, failureCount: Int, successCount: Int = 0, nextAttemptAt: Timestamp? = nil) {
        self.backendServiceID = backendServiceID
        self.failureCount = failureCount
        self.successCount = successCount
        self.nextAttemptAt = nextAttemptAt
    }
}

/// Cached responses were removed on purpose.
public struct CacheInvalidation: Codable, Sendable, Hashable {
    /// What selected them: `keys`, `route`, `tag`, `pattern`, `method:POST /api/…`.
    public var selector: String
    public var count: Int
    public var bytes: Int

    public init(selector: String, count: Int, bytes: Int) {
        self.selector = selector
        self.count = count
        self.bytes = bytes
    }
}

/// An alert rule fired or cleared.
public struct AlertNotice: Codable, Sendable, Hashable {
    public var alertID: String
    public var rule: String
    public var severity: String
    public var message: String

    enum CodingKeys: String, CodingKey {
        case alertID = "alert_id"
        case rule, severity, message
    }

    public init(alertID: String, rule: String, severity: String, message: String) {
        self.alertID = alertID
        self.rule = rule
        self.severity = severity
        self.message = message
    }
}

/// Request outcomes were dropped because the outcome queue was full: the log records its own gaps.
public struct OutcomesDropped: Codable, Sendable, Hashable {
    public var count: Int
    /// The interval over which they were dropped.
    public var from: Timestamp
    public var to: Timestamp

    public init(count: Int, from: Timestamp, to: Timestamp) {
        self.count = count
        self.from = from
        self.to = to
    }
}

/// Raw request outcomes past the retention window were deleted — after every traffic
/// projection had checkpointed past them, so their figures live on in the rolled-up buckets.
public struct OutcomesPruned: Codable, Sendable, Hashable {
    public var count: Int
    /// The last deleted sequence: no traffic record at or below it remains.
    public var throughSequence: UInt64
    /// The retention cut-off: every deleted outcome started before it.
    public var before: Timestamp

    enum CodingKeys: String, CodingKey {
        case count
        case throughSequence = "through_sequence"
        case before
    }

    public init(count: Int, throughSequence: UInt64, before: Timestamp) {
        self.count = count
        self.throughSequence = throughSequence
        self.before = before
    }
}
