import GatehouseCore

/// A quota period on the UTC calendar: a day, or a calendar month.
enum CalendarPeriod: String, Sendable, Hashable {
    case day, month

    /// The period holding `now` (µs): its start and end.
    func bounds(of now: Int64) -> (start: Int64, end: Int64) {
        let time = Timestamp(microseconds: now)
        switch self {
        case .day: return (time.startOfDay.microseconds, time.startOfDay.microseconds + 86_400_000_000)
        case .month: return (time.startOfMonth.microseconds, time.startOfNextMonth.microseconds)
        }
    }
}

/// Requests counted in the current calendar period, for quotas: the count starts at zero when a
/// new day or month begins, and can be seeded from the quota projection after a restart.
struct CalendarCounter: Sendable, Hashable {
    private var periodStart: Int64 = .min
    private var periodEnd: Int64 = .min
    private var count = 0

    struct Verdict: Equatable {
        let allowed: Bool
        let counted: Int
        let remaining: Int
        /// Microseconds until the period ends (when a refused caller may come back).
        let resetMicros: Int64
        let periodSeconds: Int
    }

    /// Sets the count of the period starting at `start`.
    mutating func seed(periodStart start: Int64, count: Int) {
        periodStart = start
        periodEnd = .min
        self.count = count
    }

    mutating func check(now: Int64, period: CalendarPeriod, limit: Int) -> Verdict {
        if now < periodStart || now >= periodEnd {
            let (start, end) = period.bounds(of: now)
            if start != periodStart { count = 0 }
            periodStart = start
            periodEnd = end
        }
        let (start, end) = (periodStart, periodEnd)
        let seconds = Int((end - start) / 1_000_000)
        guard count < limit else {
            return Verdict(allowed: false, counted: count, remaining: 0, resetMicros: end - now, periodSeconds: seconds)
        }
        count += 1
        return Verdict(allowed: true, counted: count, remaining: limit - count, resetMicros: end - now, periodSeconds: seconds)
    }
}
