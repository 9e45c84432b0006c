extension Timestamp {
    private static let microsPerDay: Int64 = 86_400_000_000

    /// Midnight UTC of this instant's day — where "today" starts for quotas and usage.
    public var startOfDay: Timestamp {
        let (days, remainder) = microseconds.quotientAndRemainder(dividingBy: Self.microsPerDay)
        return Timestamp(microseconds: (remainder < 0 ? days - 1 : days) * Self.microsPerDay)
    }

    /// Midnight UTC of the first day of this instant's month.
    public var startOfMonth: Timestamp {
        let day = startOfDay
        let (year, month, _) = CivilDate.from(daysSinceEpoch: day.microseconds / Self.microsPerDay)
        return Timestamp(microseconds: CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(month), day: 1) * Self.microsPerDay)
    }

    /// Midnight UTC of the first day of the next month.
    public var startOfNextMonth: Timestamp {
        let (year, month, _) = CivilDate.from(daysSinceEpoch: startOfDay.microseconds / Self.microsPerDay)
        let next = month == 12 ? (Int64(year) + 1, Int64(1)) : (Int64(year), Int64(month) + 1)
        return Timestamp(microseconds: CivilDate.daysSinceEpoch(year: next.0, month: next.1, day: 1) * Self.microsPerDay)
    }

    /// The UTC calendar date, `2026-11-26`.
    public var dateString: String { String(rfc3339.prefix(10)) }

    /// The instant (whole seconds) as an HTTP date in IMF-fixdate form, `Sun, 06 Nov 1994 08:49:37 GMT`.
    public var httpDate: String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.from(daysSinceEpoch: days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]  // 1970-01-01 was a Thursday
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(Int64(day))) \(monthName) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
    }
}
