/// The limits of one tier (`rate_limit_policies`). All windows are checked together.
public struct RateLimitPolicy: Codable, Sendable, Hashable, Identifiable {
    public var id: RateLimitPolicyID
    public var policyName: String
    public var tier: RateLimitTier
    public var requestsPerSecond: Int
    public var requestsPerMinute: Int
    public var requestsPerHour: Int
    public var requestsPerDay: Int
    public var burstLimit: Int
    public var quotaResetStrategy: QuotaResetStrategy
    public var blockedDurationSeconds: Int
    public var isActive: Bool
    /// `shadow` records violations without blocking, to try a limit on live traffic.
    public var enforcement: EnforcementMode
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, tier, enforcement
        case policyName = "policy_name"
        case requestsPerSecond = "requests_per_second"
        case requestsPerMinute = "requests_per_minute"
        case requestsPerHour = "requests_per_hour"
        case requestsPerDay = "requests_per_day"
        case burstLimit = "burst_limit"
        case quotaResetStrategy = "quota_reset_strategy"
        case blockedDurationSeconds = "blocked_duration_seconds"
        case isActive = "is_active"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: RateLimitPolicyID = RateLimitPolicyID(), policyName: String, tier: RateLimitTier, requestsPerSecond: Int = 10,
        requestsPerMinute: Int = 100, requestsPerHour: Int = 1000, requestsPerDay: Int = 10000, burstLimit: Int = 20,
        quotaResetStrategy: QuotaResetStrategy = .rollingWindow, blockedDurationSeconds: Int = 60, isActive: Bool = true,
        enforcement: EnforcementMode = .enforce, createdAt: Timestamp = Timestamp(microseconds: 0), updatedAt: Timestamp = Timestamp(microseconds: 0)
    ) {
        self.id = id
        self.policyName = policyName
        self.tier = tier
        self.requestsPerSecond = requestsPerSecond
        self.requestsPerMinute = requestsPerMinute
        self.requestsPerHour = requestsPerHour
        self.requestsPerDay = requestsPerDay
        self.burstLimit = burstLimit
        self.quotaResetStrategy = quotaResetStrategy
        self.blockedDurationSeconds = blockedDurationSeconds
        self.isActive = isActive
        self.enforcement = enforcement
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
