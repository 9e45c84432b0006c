

/// The last active health check of one upstream instance, as the proxy saw it.
public struct HealthObservation: Sendable, Hashable {
    public var checkedAt: Timestamp
    public var healthy: Bool
    /// How long the probe took, in milliseconds.
    public var responseMilliseconds: Double

    public init(checkedAt: Timestamp, healthy: Bool, responseMilliseconds: Double) {
        self.checkedAt = checkedAt
        self.healthy = healthy
        self.responseMilliseconds = responseMilliseconds
    }
}
