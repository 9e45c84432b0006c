/// One limit a request is checked against: a token bucket (requests per second with a burst,
/// as GCRA) or a counting window (minute, hour, day; fixed or rolling), with the policy it
/// comes from and whether it is enforced or only observed (shadow mode).
struct LimitRule: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `rate` requests per second, up to `burst` at once.
        case bucket(rate: Int, burst: Int)
        /// `limit` requests per `seconds`; rolling windows weigh the previous window in.
        case window(seconds: Int, limit: Int, rolling: Bool)
    }

    /// Stable id, e.g. `policy:<uuid>:minute` or `route:<uuid>:second`; also the state key.
    let id: String
    /// The policy's name (or `route <path>`), for clients and the outcome.
    let policyName: String
    /// `second`, `minute`, `hour`, `day` — the window's name for clients.
    let windowName: String
    let kind: Kind
    /// `false` in shadow mode: violations are recorded, requests pass.
    let enforced: Bool
    /// After a violation, the caller stays refused this long (0: no block).
    let blockSeconds: Int

    /// The window length in seconds (1 for a bucket).
    var windowSeconds: Int {
        switch kind {
        case .bucket: 1
        case .window(let seconds, _, _): seconds
        }
    }

    /// The requests allowed per window (the burst for a bucket).
    var quota: Int {
        switch kind {
        case .bucket(_, let burst): burst
        case .window(_, let limit, _): limit
        }
    }
}
