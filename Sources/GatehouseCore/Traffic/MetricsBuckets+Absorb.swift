/// Joining buckets folded from consecutive stretches of the log, so a rebuild can fold the
/// stretches in parallel: tallies add up, so the result answers every range exactly as one
/// sequential fold would.
extension MetricsBuckets {
    /// Adds `later` — the buckets of the outcomes recorded after every outcome folded here,
    /// with the same retention — to these. The newer of the two open minutes (and its hour)
    /// stays open; the other side's open minute and hour are closed into its buckets first —
    /// or, when both sides share them, merged into the one staying open, so the hour still
    /// reaches its day exactly once, when it closes.
    public mutating func absorb(_ later: MetricsBuckets) {
        precondition(minuteRetention == later.minuteRetention && hourRetention == later.hourRetention, "absorbing buckets with another retention")
        var later = later
        if (later.openMinute ?? .min) >= (openMinute ?? .min) {
            Self.retireOpen(of: &self, into: &later)
        } else {
            // `later` holds only late outcomes since its last minute: these stay current.
            Self.retireOpen(of: &later, into: &self)
            (later.openMinute, later.open, later.openHour, later.openHourOnly) = (openMinute, open, openHour, openHourOnly)
        }
        for (bucket, tallies) in later.minutes { Self.fold(tallies, into: &minutes, at: bucket) }
        for (bucket, tallies) in later.hours { Self.fold(tallies, into: &hours, at: bucket) }
        for (bucket, tallies) in later.days { Self.fold(tallies, into: &days, at: bucket) }
        for (bucket, tallies) in later.recentMinutes { Self.fold(tallies, into: &recentMinutes, at: bucket) }
        (openMinute, open, openHour, openHourOnly) = (later.openMinute, later.open, later.openHour, later.openHourOnly)
        folded += later.folded
        let oldest = max(oldestMinuteKept, later.oldestMinuteKept)
        if oldest != .min { prune(before: oldest + minuteRetention / 60) }
    }

    /// Ends `older`'s open minute and hour: merged into `newer`'s when it has the same, else
    /// closed into `older`'s own buckets.
    private static func retireOpen(of older: inout MetricsBuckets, into newer: inout MetricsBuckets) {
        if let minute = older.openMinute {
            if minute == newer.openMinute {
                merge(older.open, into: &newer.open)
                older.openMinute = nil
                older.open.removeAll()
            } else {
                older.closeOpenMinute()
            }
        }
        if let hour = older.openHour {
            if hour == newer.openHour {
                merge(older.openHourOnly, into: &newer.openHourOnly)
                older.openHour = nil
                older.openHourOnly.removeAll()
            } else {
                older.closeOpenHour()
            }
        }
    }

    private static func merge(_ source: TallyTable, into target: inout TallyTable) {
        for (dimension, tally) in zip(source.dimensions, source.tallies) { target.merge(tally, for: dimension) }
    }
}
