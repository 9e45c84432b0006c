@testable import GatehouseProxy

extension RateLimiter {
    /// Checks `rules` for `caller` at `now` (µs), as the proxy checks a plan of them.
    func check(_ rules: [LimitRule], caller: LimitCaller, now: Int64) -> LimitResult {
        check(LimitPlan(rules: rules), fingerprint: CallerFingerprint(caller), now: now)
    }
}
