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
        Self.join(later.minutes, into: &minutes)
        Self.join(later.hours, into: &hours)
        Self.join(later.days, into: &days)
        Self.join(later.recentMinutes, into: &recentMinutes)
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

    /// Adds each bucket of `source` to `target`'s: taken over whole where `target` has none
    /// (stretches of a log share a bucket only where they meet).
    private static func join(_ source: [Int64: Tallies], into target: inout [Int64: Tallies]) {
        if target.isEmpty { return target = source }
        for (bucket, tallies) in source {
            if target[bucket] == nil { target[bucket] = tallies } else { fold(tallies, into: &target, at: bucket) }
        }
    }

    private static func merge(_ source: TallyTable, into target: inout TallyTable) {
        for (dimension, tally) in zip(source.dimensions, source.tallies) { target.merge(tally, for: dimension) }
    }
}
