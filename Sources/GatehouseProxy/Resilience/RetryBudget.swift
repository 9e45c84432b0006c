import GatehouseCore

/// Caps retries to a share of recent requests, so a struggling upstream is not hit by a retry
/// storm (as Envoy's retry budgets and Finagle's do). Counts live in fixed windows; a retry is
/// allowed while this window's retries stay under `ratio` × its requests, or under `minimum`.
public struct RetryBudget: Sendable, Equatable {
    public let ratio: Double
    public let minimum: Int
    public let windowMicroseconds: Int64
    private var windowStart: Int64 = .min
    private var requests = 0
    private var retries = 0

    public init(ratio: Double = 0.2, minimum: Int = 10, windowSeconds: Int = 10) {
        self.ratio = ratio
        self.minimum = minimum
        self.windowMicroseconds = Int64(windowSeconds) * 1_000_000
    }

    /// Counts a first attempt.
    public mutating func recordRequest(at now: Timestamp) {
        roll(to: now)
        requests += 1
    }

    /// Takes one retry from the budget; `false` when it is spent.
    public mutating func tryRetry(at now: Timestamp) -> Bool {
        roll(to: now)
        guard retries < max(minimum, Int(Double(requests) * ratio)) else { return false }
        retries += 1
        return true
    }

    private mutating func roll(to now: Timestamp) {
        guard now.microseconds >= windowStart + windowMicroseconds || now.microseconds < windowStart else { return }
        windowStart = now.microseconds - now.microseconds % windowMicroseconds
        requests = 0
        retries = 0
    }
}
