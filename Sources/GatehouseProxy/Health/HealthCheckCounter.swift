/// Active health of one instance from its probe results: unhealthy after `unhealthyThreshold`
/// consecutive failures, healthy again after `healthyThreshold` consecutive successes, so one
/// lost probe neither ejects nor readmits (Envoy's unhealthy/healthy thresholds). Starts healthy.
public struct HealthCheckCounter: Sendable, Equatable {
    public let unhealthyThreshold: Int
    public let healthyThreshold: Int
    public private(set) var isHealthy = true
    private var streak = 0

    public init(unhealthyThreshold: Int = 2, healthyThreshold: Int = 2) {
        self.unhealthyThreshold = max(1, unhealthyThreshold)
        self.healthyThreshold = max(1, healthyThreshold)
    }

    /// Counts one probe; returns the new health when it changed.
    public mutating func record(success: Bool) -> Bool? {
        // `streak` counts consecutive results that argue against the current state.
        if success == isHealthy {
            streak = 0
            return nil
        }
        streak += 1
        guard streak >= (isHealthy ? unhealthyThreshold : healthyThreshold) else { return nil }
        isHealthy.toggle()
        streak = 0
        return isHealthy
    }
}
