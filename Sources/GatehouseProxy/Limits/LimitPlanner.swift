import GatehouseCore

/// Which limits apply to a request (pure):
///
/// - A request with an API key is limited by its tier's active policy (`rate_limit_policies`):
///   requests per second with `burst_limit` (a bucket), and per minute, hour and day (windows,
///   rolling or fixed by `quota_reset_strategy`), all counted per key across the gateway; a
///   value of 0 means no limit for that window.
/// - A route's `rate_limit_config` (`requests_per_second` + `burst_limit`,
///   `requests_per_minute`) applies to every caller of that route — per key, or per client
///   address for anonymous callers — counted per route, and replaces the tier's per-second or
///   per-minute rule on that route. Its rules are `"route-second"` and `"route-minute"` in the
///   response fields (the 429 body names the route in full).
enum LimitPlanner {
    /// The state id of a key's quota for `period` (the caller tells keys apart).
    static func quotaRuleID(_ period: CalendarPeriod) -> String { "quota:\(period.rawValue)" }

    /// A key's `usage_quota`: requests per UTC day and per calendar month, counted for the key.
    static func quotaRules(_ quota: UsageQuota) -> [LimitRule] {
        var rules: [LimitRule] = []
        for (period, limit) in [(CalendarPeriod.day, quota.daily), (.month, quota.monthly)] {
            guard let limit else { continue }
            rules.append(LimitRule(
                id: quotaRuleID(period), policyName: "quota", windowName: period == .day ? "daily" : "monthly",
                kind: .quota(period: period, limit: limit), enforced: true, blockSeconds: 0
            ))
        }
        return rules
    }

    static func rules(route: Route, policy: RateLimitPolicy?) -> [LimitRule] {
        var rules: [LimitRule] = []
        let config = route.rateLimitConfig
        let routeName = "route \(route.routeMethod.rawValue) \(route.routePath)"
        if let rate = config.requestsPerSecond, rate > 0 {
            rules.append(LimitRule(
                id: "route:\(route.id):second", policyName: routeName, fieldPolicy: "route", windowName: "second",
                kind: .bucket(rate: rate, burst: max(config.burstLimit ?? rate, 1)), enforced: true, blockSeconds: 0
            ))
        }
        if let limit = config.requestsPerMinute, limit > 0 {
            rules.append(LimitRule(
                id: "route:\(route.id):minute", policyName: routeName, fieldPolicy: "route", windowName: "minute",
                kind: .window(seconds: 60, limit: limit, rolling: true), enforced: true, blockSeconds: 0
            ))
        }
        guard let policy, policy.isActive else { return rules }
        let enforced = policy.enforcement == .enforce
        let rolling = policy.quotaResetStrategy == .rollingWindow
        func rule(_ window: String, _ kind: LimitRule.Kind) -> LimitRule {
            LimitRule(
                id: "policy:\(policy.id):\(window)", policyName: policy.policyName, windowName: window, kind: kind, enforced: enforced,
                blockSeconds: policy.blockedDurationSeconds
            )
        }
        if policy.requestsPerSecond > 0, config.requestsPerSecond == nil {
            rules.append(rule("second", .bucket(rate: policy.requestsPerSecond, burst: max(policy.burstLimit, policy.requestsPerSecond, 1))))
        }
        if policy.requestsPerMinute > 0, config.requestsPerMinute == nil {
            rules.append(rule("minute", .window(seconds: 60, limit: policy.requestsPerMinute, rolling: rolling)))
        }
        if policy.requestsPerHour > 0 { rules.append(rule("hour", .window(seconds: 3600, limit: policy.requestsPerHour, rolling: rolling))) }
        if policy.requestsPerDay > 0 { rules.append(rule("day", .window(seconds: 86_400, limit: policy.requestsPerDay, rolling: rolling))) }
        return rules
    }
}
