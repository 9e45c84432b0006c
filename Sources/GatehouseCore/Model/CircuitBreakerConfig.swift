/// When an instance's breaker opens and how it recovers (`circuit_breaker_config`).
public struct CircuitBreakerConfig: Codable, Sendable, Hashable {
    /// Consecutive failures that open the breaker.
    public var failureThreshold: Int
    /// Milliseconds the breaker stays open before admitting trial calls.
    public var timeout: Int
    /// Trial calls admitted while half-open.
    public var halfOpenMaxCalls: Int

    enum CodingKeys: String, CodingKey {
        case failureThreshold = "failure_threshold"
        case timeout
        case halfOpenMaxCalls = "half_open_max_calls"
    }

    public init(failureThreshold: Int = 5, timeout: Int = 60000, halfOpenMaxCalls: Int = 3) {
        self.failureThreshold = failureThreshold
        self.timeout = timeout
        self.halfOpenMaxCalls = halfOpenMaxCalls
    }

    public init(from decoder: any Decoder) throws {
        let defaults = CircuitBreakerConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        failureThreshold = try container.decode(.failureThreshold, default: defaults.failureThreshold)
        timeout = try container.decode(.timeout, default: defaults.timeout)
        halfOpenMaxCalls = try container.decode(.halfOpenMaxCalls, default: defaults.halfOpenMaxCalls)
    }
}
