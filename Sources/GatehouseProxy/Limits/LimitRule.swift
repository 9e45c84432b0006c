import GatehouseCore

/// One limit a request is checked against: a token bucket (requests per second with a burst,
/// as GCRA) or a counting window (minute, hour, day; fixed or rolling), with the policy it
/// comes from and whether it is enforced or only observed (shadow mode).
/// A class: evaluations refer to their rule, and a reference costs one count where a struct of
/// three strings would cost three on every copy.
final class LimitRule: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `rate` requests per second, up to `burst` at once.
        case bucket(rate: Int, burst: Int)
        /// `limit` requests per `seconds`; rolling windows weigh the previous window in.
        case window(seconds: Int, limit: Int, rolling: Bool)
        /// A key's quota: `limit` requests per UTC day or calendar month.
        case quota(period: CalendarPeriod, limit: Int)

        var windowSeconds: Int {
            switch self {
            case .bucket: 1
            case .window(let seconds, _, _): seconds
            case .quota(.day, _): 86_400
            case .quota(.month, _): 30 * 86_400
            }
        }

        var quota: Int {
            switch self {
            case .bucket(_, let burst): burst
            case .window(_, let limit, _): limit
            case .quota(_, let limit): limit
            }
        }
    }

    /// Stable id, e.g. `policy:<uuid>:minute` or `route:<uuid>:second`.
    let id: String
    /// How outcomes store the id (worked out once, here).
    let storedForm: CompactRuleID
    /// The id's number, which keys the rule's state (see ``RuleNumbers``).
    let number: UInt32
    /// The policy's name (or `route <path>`), for clients and the outcome.
    let policyName: String
    /// `second`, `minute`, `hour`, `day` — the window's name for clients.
    let windowName: String
    let kind: Kind
    /// `false` in shadow mode: violations are recorded, requests pass.
    let enforced: Bool
    /// After a violation, the caller stays refused this long (0: no block).
    let blockSeconds: Int
    /// The rule's name as a Structured Field string, `"policy-window"` (built once).
    let fieldName: String
    /// The rule's `RateLimit-Policy` item, built once when its window has a fixed length (not a
    /// calendar month).
    let policyItem: String?

    /// `fieldPolicy` names the policy in the response fields when `policyName` is too long to
    /// repeat in every response (a route's rules: `"route-second"`, the client knows its route).
    init(id: String, policyName: String, fieldPolicy: String? = nil, windowName: String, kind: Kind, enforced: Bool, blockSeconds: Int) {
        self.id = id
        storedForm = CompactRuleID(id)
        number = RuleNumbers.number(for: id)
        self.policyName = policyName
        self.windowName = windowName
        self.kind = kind
        self.enforced = enforced
        self.blockSeconds = blockSeconds
        let name = RateLimitHeaders.fieldName(policy: fieldPolicy ?? policyName, window: windowName)
        fieldName = name
        policyItem = if case .quota(.month, _) = kind { nil } else { "\(name);q=\(kind.quota);w=\(kind.windowSeconds)" }
    }

    /// The nominal window length in seconds (1 for a bucket, 30 days for a month; evaluations
    /// carry the current period's exact length).
    var windowSeconds: Int { kind.windowSeconds }

    static func == (lhs: LimitRule, rhs: LimitRule) -> Bool {
        lhs.id == rhs.id && lhs.policyName == rhs.policyName && lhs.windowName == rhs.windowName && lhs.kind == rhs.kind
            && lhs.enforced == rhs.enforced && lhs.blockSeconds == rhs.blockSeconds
    }

    func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// What the limiter's table judges requests by.
    var spec: LimitRuleSpec { LimitRuleSpec(number: number, kind: kind, enforced: enforced, blockSeconds: blockSeconds) }

    /// Whether this is a quota (refusals are `quota_exceeded`, not `rate_limited`).
    var isQuota: Bool {
        if case .quota = kind { return true }
        return false
    }

    /// The requests allowed per window (the burst for a bucket).
    var quota: Int { kind.quota }
}
