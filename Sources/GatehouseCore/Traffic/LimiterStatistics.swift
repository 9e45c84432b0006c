/// The rate limiter's live figures, for `/metrics`.
public struct LimiterStatistics: Sendable, Equatable {
    /// Callers (keys, subjects, addresses) with limiter state.
    public var callers: Int
    /// Requests refused by a limit or quota since the process started.
    public var refusals: Int
    /// Requests a shadow-mode rule would have refused since the process started.
    public var shadowViolations: Int

    public init(callers: Int, refusals: Int, shadowViolations: Int) {
        self.callers = callers
        self.refusals = refusals
        self.shadowViolations = shadowViolations
    }
}
