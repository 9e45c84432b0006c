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
/// 16 bytes: the period's length is kept in seconds and the count saturates at `UInt32.max`.
struct CalendarCounter: Sendable, Hashable {
    private var periodStart: Int64 = .min
    private var periodSeconds: UInt32 = 0
    private var count: UInt32 = 0

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
        periodSeconds = 0
        self.count = UInt32(clamping: count)
    }

    mutating func check(now: Int64, period: CalendarPeriod, limit: Int) -> Verdict {
        if now < periodStart || now >= periodStart + Int64(periodSeconds) * 1_000_000 {
            let (start, end) = period.bounds(of: now)
            if start != periodStart { count = 0 }
            periodStart = start
            periodSeconds = UInt32((end - start) / 1_000_000)
        }
        let end = periodStart + Int64(periodSeconds) * 1_000_000
        let seconds = Int(periodSeconds)
        guard Int(count) < limit else {
            return Verdict(allowed: false, counted: Int(count), remaining: 0, resetMicros: end - now, periodSeconds: seconds)
        }
        if count < .max { count += 1 }
        return Verdict(allowed: true, counted: Int(count), remaining: limit - Int(count), resetMicros: end - now, periodSeconds: seconds)
    }
}
