/// A key's request quotas (`usage_quota`); `nil` means unlimited.
public struct UsageQuota: Codable, Sendable, Hashable {
    public var daily: Int?
    public var monthly: Int?

    public init(daily: Int? = nil, monthly: Int? = nil) {
        self.daily = daily
        self.monthly = monthly
    }
}
