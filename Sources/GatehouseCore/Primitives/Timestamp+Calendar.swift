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
}
