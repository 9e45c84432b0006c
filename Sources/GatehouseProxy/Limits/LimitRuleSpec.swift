/// What the limiter's table needs of a rule to judge a request by it — plain values, so that a
/// check walks a plan's rules (``LimitPlan/specs``) without counting references to them.
struct LimitRuleSpec: Sendable {
    /// The rule's number (``LimitRule/number``), which keys its state.
    let number: UInt32
    let kind: LimitRule.Kind
    /// `false` in shadow mode.
    let enforced: Bool
    /// After a violation, the caller stays refused this long (0: no block).
    let blockSeconds: Int
}
