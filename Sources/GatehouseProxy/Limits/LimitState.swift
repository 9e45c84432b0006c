/// What the limiter remembers for one caller under one rule.
struct LimitState: Sendable {
    var bucket = GCRA()
    var window = WindowCounter()
    var quota = CalendarCounter()
    /// Refused until this time (µs) after a violation of a rule with a block duration.
    var blockedUntil: Int64 = 0
}
