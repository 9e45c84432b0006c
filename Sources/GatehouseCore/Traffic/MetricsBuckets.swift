
/// The metrics projection's state: request outcomes folded into minute, hour and day buckets
/// per ``MetricDimension``. Outcomes fill the open minute (consumer tallies: the open hour —
/// there can be very many consumers, and they are kept by the hour and day only); when time moves on, the
/// open minute is stored and added to its hour, and a closing hour (with its consumers) is added to
/// its day, so each outcome costs one tally update per dimension. A range is answered from the
/// coarsest buckets that fit inside it (days, then hours, then minutes at the edges) — a month
/// is about 30 merges, not millions of outcomes. Minutes are kept `minuteRetention` seconds
/// before the start of the hour before the newest one, hours `hourRetention`; older ranges are
/// answered from whole hours (days) only. Ranges are widened to whole minutes, so "the last
/// hour" includes this minute.
///
/// A fold that knows how far it will get (a rebuild: the log's last outcome) says so first
/// (``anticipateRetention(through:)``): the minutes retention will drop are then never built —
/// outcomes of an hour older than the minutes kept are counted by the hour only.
public struct MetricsBuckets: Sendable {
    public typealias Tallies = [MetricDimension: MetricTally]

    public internal(set) var minutes: [Int64: Tallies] = [:]
    public internal(set) var hours: [Int64: Tallies] = [:]
    public internal(set) var days: [Int64: Tallies] = [:]
    /// Minutes of the recent-only dimensions (per-key rates), kept ``recentRetention`` seconds.
    public internal(set) var recentMinutes: [Int64: Tallies] = [:]
    /// How long ``recentMinutes`` are kept.
    public static let recentRetention: Int64 = 3 * 3600
    var openMinute: Int64?
    /// The open minute's tallies, keys excepted.
    var open = TallyTable()
    var openHour: Int64?
    /// The open hour's tallies kept by the hour only: its consumers' (keys, subjects, a route's
    /// keys), and every dimension's while the open hour is older than the minutes kept.
    var openHourOnly = TallyTable()
    /// Minutes before this one were pruned (their hours remain).
    var oldestMinuteKept: Int64 = .min
    public let minuteRetention: Int64
    public let hourRetention: Int64

    /// Outcomes folded so far.
    public internal(set) var folded: UInt64 = 0

    public init(minuteRetention: Int64 = 2 * 86_400, hourRetention: Int64 = 90 * 86_400) {
        self.minuteRetention = minuteRetention
        self.hourRetention = hourRetention
    }

    /// Folds one outcome in.
    public mutating func add(_ outcome: RequestCompletedView) {
        folded += 1
        let minute = Self.floorDivide(outcome.startTime.microseconds, 60_000_000)
        let hour = Self.floorDivide(minute, 60)
        if minute != openMinute, openMinute.map({ minute > $0 }) ?? true {
            closeOpenMinute()
            openMinute = minute
            if hour != openHour {
                closeOpenHour()
                openHour = hour
                prune(before: Self.retentionStart(openHour: hour))
            }
        }
        if minute == openMinute {
            if minute < oldestMinuteKept {
                // Its minute would be pruned: by the hour only (recent-only dimensions not at all).
                MetricDimension.forEach(of: outcome) { dimension in
                    if !dimension.isRecentOnly { openHourOnly.add(outcome, to: dimension, histogram: dimension.keepsLatency) }
                }
                return
            }
            MetricDimension.forEach(of: outcome) { dimension in
                let histogram = dimension.keepsLatency
                if dimension.isConsumer {
                    openHourOnly.add(outcome, to: dimension, histogram: histogram)
                } else {
                    open.add(outcome, to: dimension, histogram: histogram)
                }
            }
            return
        }
        addLate(outcome, minute: minute, hour: hour)
    }

    /// Folds an outcome of a minute already closed into its stored buckets (consumers: the open
    /// hour's, when it belongs to it) — those still kept.
    private mutating func addLate(_ outcome: RequestCompletedView, minute: Int64, hour: Int64) {
        let minuteKept = minute >= oldestMinuteKept
        let recentKept = oldestMinuteKept == .min || minute >= oldestMinuteKept + (minuteRetention - Self.recentRetention) / 60
        let hourKept = oldestMinuteKept == .min || hour >= (oldestMinuteKept + minuteRetention / 60 - hourRetention / 60) / 60
        MetricDimension.forEach(of: outcome) { dimension in
            let histogram = dimension.keepsLatency
            if dimension.isConsumer, hour == openHour {
                openHourOnly.add(outcome, to: dimension, histogram: histogram)
                return
            }
            if dimension.isRecentOnly {
                if recentKept { recentMinutes[minute, default: [:]][dimension, default: MetricTally()].add(outcome, histogram: histogram) }
                return
            }
            if !dimension.isConsumer, minuteKept { minutes[minute, default: [:]][dimension, default: MetricTally()].add(outcome, histogram: histogram) }
            if hourKept { hours[hour, default: [:]][dimension, default: MetricTally()].add(outcome, histogram: histogram) }
            // The open hour reaches its day when it closes.
            if hour != openHour {
                days[Self.floorDivide(minute, 1440), default: [:]][dimension, default: MetricTally()].add(outcome, histogram: histogram)
            }
        }
    }

    /// Stores the open minute and adds it to its hour (the hour reaches its day when it closes).
    mutating func closeOpenMinute() {
        guard let minute = openMinute else { return }
        openMinute = nil
        guard !open.isEmpty else { return }
        open.addPendingLatencies()
        let tallies = zip(open.dimensions, open.tallies)
        let kept = tallies.lazy.filter { !$0.0.isRecentOnly }
        Self.fold(kept, into: &minutes, at: minute, expectedCount: open.dimensions.count)
        Self.fold(kept, into: &hours, at: Self.floorDivide(minute, 60))
        Self.fold(tallies.lazy.filter { $0.0.isRecentOnly }, into: &recentMinutes, at: minute)
        open.removeAll()
    }

    /// Adds the open hour's tallies kept by the hour only to its hour, the whole hour to its day.
    mutating func closeOpenHour() {
        guard let hour = openHour else { return }
        openHour = nil
        if !openHourOnly.isEmpty {
            openHourOnly.addPendingLatencies()
            Self.fold(zip(openHourOnly.dimensions, openHourOnly.tallies), into: &hours, at: hour)
            openHourOnly.removeAll()
        }
        if let tallies = hours[hour] { Self.fold(tallies, into: &days, at: Self.floorDivide(hour, 24)) }
    }

    /// Drops now what folding outcomes up to `latest` will drop (when its hour opens, minutes
    /// more than ``minuteRetention`` before the hour before it go): those minutes are then
    /// never built — a rebuild of a long log spends most of its time on minutes otherwise. The
    /// buckets end up exactly as without the call once an outcome at `latest` or later is folded.
    public mutating func anticipateRetention(through latest: Timestamp) {
        prune(before: Self.retentionStart(openHour: Self.floorDivide(latest.microseconds, 3_600_000_000)))
    }

    /// The start of the oldest minute kept once an outcome at `latest` is folded.
    public func oldestMinuteKept(through latest: Timestamp) -> Timestamp {
        let start = Self.retentionStart(openHour: Self.floorDivide(latest.microseconds, 3_600_000_000))
        return Timestamp(microseconds: (start - minuteRetention / 60) * 60_000_000)
    }

    /// The minute retention counts back from while `openHour` is open: the start of the hour
    /// before it.
    private static func retentionStart(openHour: Int64) -> Int64 { (openHour - 1) * 60 }

    /// Adds `source` to the bucket `at` of `buckets`, in place.
    static func fold(_ source: Tallies, into buckets: inout [Int64: Tallies], at bucket: Int64) {
        fold(source.lazy.map { ($0.key, $0.value) }, into: &buckets, at: bucket)
    }

    /// Adds the `(dimension, tally)` pairs of `source` to the bucket `at` of `buckets` (a new one
    /// made with room for `expectedCount` dimensions, when known better than `source` knows).
    static func fold(
        _ source: some Sequence<(MetricDimension, MetricTally)>, into buckets: inout [Int64: Tallies], at bucket: Int64, expectedCount: Int = 0
    ) {
        var target = buckets.removeValue(forKey: bucket) ?? Tallies(minimumCapacity: max(expectedCount, source.underestimatedCount))
        for (dimension, tally) in source { target[dimension, default: MetricTally()].merge(tally) }
        if !target.isEmpty { buckets[bucket] = target }
    }

    mutating func prune(before minute: Int64) {
        let oldestMinute = minute - minuteRetention / 60
        let oldestHour = (minute - hourRetention / 60) / 60
        Self.remove(from: &minutes, below: oldestMinute)
        Self.remove(from: &recentMinutes, below: minute - Self.recentRetention / 60)
        oldestMinuteKept = max(oldestMinuteKept, oldestMinute)
        Self.remove(from: &hours, below: oldestHour)
    }

    /// Drops the buckets before `limit` in place (the others are not copied).
    private static func remove(from buckets: inout [Int64: Tallies], below limit: Int64) {
        for bucket in buckets.keys.filter({ $0 < limit }) { buckets.removeValue(forKey: bucket) }
    }

    /// The first instant any bucket covers (nil before the first outcome).
    public var earliest: Timestamp? {
        let day = days.keys.min().map { $0 * 1440 } ?? .max
        let hour = hours.keys.min().map { $0 * 60 } ?? .max
        let minute = [minutes.keys.min(), openMinute, openHour.map { $0 * 60 }].compactMap { $0 }.min() ?? .max
        let first = min(day, hour, minute)
        return first == .max ? nil : Timestamp(microseconds: first * 60_000_000)
    }

    /// The tally of `dimension` over `[from, to)`.
    public func tally(_ dimension: MetricDimension, from: Timestamp, to: Timestamp) -> MetricTally {
        var result = MetricTally()
        visit(from: from, to: to) { tallies in if let tally = tallies[dimension] { result.merge(tally) } }
        return result
    }

    /// Every dimension `select` picks over `[from, to)`, merged per dimension.
    public func tallies(from: Timestamp, to: Timestamp, where select: (MetricDimension) -> Bool) -> Tallies {
        var result: Tallies = [:]
        visit(from: from, to: to) { tallies in
            for (dimension, tally) in tallies where select(dimension) { result[dimension, default: MetricTally()].merge(tally) }
        }
        return result
    }

    /// The recent-only tallies (``MetricDimension/isRecentOnly``: per-key rates) over
    /// `[from, to)` widened to whole minutes, merged per dimension; only the last
    /// ``recentRetention`` seconds are kept.
    public func recentTallies(from: Timestamp, to: Timestamp) -> Tallies {
        var result: Tallies = [:]
        let first = Self.floorDivide(from.microseconds, 60_000_000)
        let end = Self.floorDivide(to.microseconds + 59_999_999, 60_000_000)
        for minute in first ..< max(first, end) {
            for (dimension, tally) in recentMinutes[minute] ?? [:] { result[dimension, default: MetricTally()].merge(tally) }
        }
        if let openMinute, openMinute >= first, openMinute < end {
            for (dimension, tally) in zip(open.dimensions, open.tallies) where dimension.isRecentOnly {
                result[dimension, default: MetricTally()].merge(tally)
            }
        }
        return result
    }

    /// Per-hour tallies of `dimension` over `[from, to)` (for trends).
    public func hourly(_ dimension: MetricDimension, from: Timestamp, to: Timestamp) -> [(hour: Timestamp, tally: MetricTally)] {
        hourly([dimension], from: from, to: to).map { ($0.hour, $0.tallies[dimension] ?? MetricTally()) }
    }

    /// Per-hour tallies of each of `dimensions` over `[from, to)`, every hour of the range in
    /// order (a dimension without outcomes in an hour is absent from it).
    public func hourly(_ dimensions: [MetricDimension], from: Timestamp, to: Timestamp) -> [(hour: Timestamp, tallies: Tallies)] {
        var hour = Self.floorDivide(from.microseconds, 3_600_000_000)
        var result: [(Timestamp, Tallies)] = []
        while hour * 3_600_000_000 < to.microseconds {
            let start = Timestamp(microseconds: max(from.microseconds, hour * 3_600_000_000))
            let end = Timestamp(microseconds: min(to.microseconds, (hour + 1) * 3_600_000_000))
            var tallies: Tallies = [:]
            visit(from: start, to: end) { bucket in
                for dimension in dimensions { if let tally = bucket[dimension] { tallies[dimension, default: MetricTally()].merge(tally) } }
            }
            result.append((Timestamp(microseconds: hour * 3_600_000_000), tallies))
            hour += 1
        }
        return result
    }

    /// Calls `body` with the tallies of the buckets covering `[from, to)` widened to whole
    /// minutes, coarsest first, and with the open minute when it is inside.
    private func visit(from: Timestamp, to: Timestamp, _ body: (Tallies) -> Void) {
        let first = Self.floorDivide(from.microseconds, 60_000_000)
        let end = Self.floorDivide(to.microseconds + 59_999_999, 60_000_000)
        let openDay = openHour.map { Self.floorDivide($0, 24) }
        var minute = first
        while minute < end {
            if minute % 1440 == 0, minute + 1440 <= end, minute / 1440 != openDay, let day = days[minute / 1440] {
                body(day)
                minute += 1440
            } else if minute % 60 == 0, minute + 60 <= end, minute / 60 != openHour, let hour = hours[minute / 60] {
                body(hour)
                minute += 60
            } else if minute < oldestMinuteKept {
                // Its minutes are gone: the whole hour stands in for the part of it in the range.
                if let hour = hours[Self.floorDivide(minute, 60)] { body(hour) }
                minute = (Self.floorDivide(minute, 60) + 1) * 60
            } else {
                if let tallies = minutes[minute] { body(tallies) }
                minute += 1
            }
        }
        if let openMinute, openMinute >= first, openMinute < end { body(open.dictionary) }
        if let openHour, openHour * 60 + 60 > first, openHour * 60 < end { body(openHourOnly.dictionary) }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }
}
