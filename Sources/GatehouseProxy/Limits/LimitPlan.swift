/// The rules one kind of request is checked against — its route's, its caller's tier's and its
/// key's quota — with the parts of their response fields that are the same for every such
/// request (``LimitFieldLayout``). Built once per kind and snapshot by the loop
/// (``LoopContext/limitPlan(for:tier:quota:snapshot:)``).
final class LimitPlan: Sendable {
    let rules: [LimitRule]
    /// The rules' specs, in the same order: what a check walks.
    let specs: [LimitRuleSpec]
    let fieldLayout: LimitFieldLayout

    init(rules: [LimitRule]) {
        self.rules = rules
        specs = rules.map(\.spec)
        fieldLayout = LimitFieldLayout(rules: rules)
    }
}
