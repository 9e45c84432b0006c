/// The rules one kind of request is checked against — its route's, its caller's tier's and its
/// key's quota — with the part of their response fields that is the same for every such request:
/// the `RateLimit-Policy` value, unless a rule's window varies (a calendar month's does), and
/// the bytes of the fields' fixed parts. Built once per kind and snapshot by the loop
/// (``LoopContext/limitPlan(for:tier:quota:snapshot:)``).
final class LimitPlan: Sendable {
    let rules: [LimitRule]
    /// `RateLimit-Policy` for these rules; `nil` when it depends on the request's date.
    let policyField: String?
    let fieldLayout: LimitFieldLayout

    init(rules: [LimitRule]) {
        self.rules = rules
        policyField = RateLimitHeaders.fixedPolicy(rules)
        fieldLayout = LimitFieldLayout(rules: rules, policyField: policyField)
    }
}
