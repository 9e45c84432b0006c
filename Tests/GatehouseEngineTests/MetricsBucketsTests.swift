import EventLog
import GatehouseCore
@testable import GatehouseEngine
import Testing

/// The metrics projection: buckets from known outcomes, ranges at every resolution, late
/// outcomes, and a rebuild equal to incremental catch-up.
@Suite("metrics buckets")
struct MetricsBucketsTests {
    let start = Timestamp(microseconds: 1_800_000_000 * 1_000_000 - 1_800_000_000 * 1_000_000 % 86_400_000_000)  // a midnight

    /// `count` synthetic outcomes, `secondsApart` apart from `start`, appended to a fresh log.
    func log(count: Int, secondsApart: Int64, seed: UInt64 = 3) throws -> (InMemoryEventLog, [RequestCompleted]) {
        try log(count: count, seed: seed) { Int64($0) * secondsApart }
    }

    /// `count` synthetic outcomes, the `index`th starting `seconds(index)` after `start`, appended
    /// to a fresh log in index order.
    func log(count: Int, seed: UInt64, seconds: (Int) -> Int64) throws -> (InMemoryEventLog, [RequestCompleted]) {
        let log = InMemoryEventLog()
        var traffic = SyntheticTraffic(seed: seed)
        let outcomes = (0 ..< count).map { traffic.next(at: start.adding(seconds: seconds($0))) }
        _ = try log.appendTraffic(outcomes.map { $0.trafficAppend() })
        return (log, outcomes)
    }

    @Test("totals, errors and percentiles match the outcomes of any range (widened to whole minutes), whichever buckets answer it")
    func ranges() throws {
        // 20,000 outcomes 13 s apart: about three days.
        let (log, outcomes) = try log(count: 20_000, secondsApart: 13)
        var buckets = MetricsBuckets(minuteRetention: 7 * 86_400)
        try buckets.catchUp(from: log, after: 0)
        let ranges: [(Int64, Int64)] = [(0, 86_400), (3_600, 7_200), (90, 200_000), (86_400 - 60, 86_400 * 2 + 60), (0, 400_000)]
        for (from, to) in ranges {
            let low = start.adding(seconds: from)
            let high = start.adding(seconds: to)
            // Ranges are widened to whole minutes.
            let (first, last) = (start.adding(seconds: from / 60 * 60), start.adding(seconds: (to + 59) / 60 * 60))
            let inside = outcomes.filter { $0.startTime >= first && $0.startTime < last }
            let tally = buckets.tally(.all, from: low, to: high)
            #expect(tally.requests == UInt64(inside.count), "\(from)…\(to)")
            #expect(tally.serverErrors == UInt64(inside.filter { $0.status >= 500 }.count))
            #expect(tally.responseBytes == inside.reduce(0) { $0 + $1.responseBytes })
            let sorted = inside.map(\.totalMicros).sorted()
            let exact = Double(sorted[Int((0.95 * Double(sorted.count)).rounded(.up)) - 1])
            #expect(abs(Double(tally.latency.value(at: 0.95)) - exact) <= exact / 64 + 1)
        }
        let routes = buckets.tallies(from: start, to: start.adding(seconds: 400_000)) { if case .route = $0 { true } else { false } }
        #expect(routes.values.reduce(0) { $0 + $1.requests } == UInt64(outcomes.filter { $0.routeID != nil }.count))
        let oneKey = try #require(outcomes.compactMap(\.apiKeyID).first)
        #expect(buckets.tally(.key(oneKey), from: start, to: start.adding(seconds: 400_000)).requests == UInt64(outcomes.filter { $0.apiKeyID == oneKey }.count))
        // With the default 48-hour minute retention, the first day's minutes are gone: a range
        // starting there is answered from its whole first hour.
        let retained = try MetricsBuckets.rebuild(from: log)
        let fromWholeHour = outcomes.filter { $0.startTime >= start && $0.startTime < start.adding(seconds: 200_040) }.count
        #expect(retained.tally(.all, from: start.adding(seconds: 90), to: start.adding(seconds: 200_000)).requests == UInt64(fromWholeHour))
                let hourly = buckets.hourly(.all, from: start, to: start.adding(seconds: 6 * 3600))
        #expect(hourly.count == 6 && hourly.map(\.tally.requests).reduce(0, +) == buckets.tally(.all, from: start, to: start.adding(seconds: 6 * 3600)).requests)
    }

    @Test("a rebuild equals catching up in parts, and late (out-of-order) outcomes land in their own minute")
    func rebuildEqualsIncremental() throws {
        let (log, outcomes) = try log(count: 6_000, secondsApart: 7)
        let whole = try MetricsBuckets.rebuild(from: log)
        var parts = MetricsBuckets()
        let middle = try parts.catchUp(from: log, after: 0) { _ in }
        #expect(middle > 0)
        var split = MetricsBuckets()
        var position: SequenceNumber = 0
        try log.scan(.traffic, after: 0) { record in
            split.add(try RequestCompletedView(record))
            position = record.sequence
            return position < 3_000
        }
        try split.catchUp(from: log, after: position)
        for dimension: MetricDimension in [.all, .status(200), .route(try #require(outcomes.first?.routeID))] {
            let end = start.adding(seconds: 86_400)
            #expect(whole.tally(dimension, from: start, to: end) == split.tally(dimension, from: start, to: end))
            #expect(whole.tally(dimension, from: start, to: end) == parts.tally(dimension, from: start, to: end))
        }

        // Late outcomes: recorded after later ones, counted in their own minute.
        let late = InMemoryEventLog()
        var traffic = SyntheticTraffic(seed: 9)
        let times: [Int64] = [600, 700, 30, 3_700, 40, 3_800]
        _ = try late.appendTraffic(times.map { traffic.next(at: start.adding(seconds: $0)).trafficAppend() })
        let buckets = try MetricsBuckets.rebuild(from: late)
        #expect(buckets.tally(.all, from: start, to: start.adding(seconds: 60)).requests == 2)
        #expect(buckets.tally(.all, from: start, to: start.adding(seconds: 3_600)).requests == 4)
        #expect(buckets.tally(.all, from: start, to: start.adding(seconds: 7_200)).requests == 6)
    }
}

extension MetricsBucketsTests {
    @Test("buckets folded from consecutive stretches and joined equal one sequential fold — cuts inside a minute or hour, late outcomes, pruning")
    func absorbEqualsSequential() throws {
        // Four days, 25 s apart, every 50th outcome five hours late; minutes kept one day.
        let (log, _) = try log(count: 14_000, seed: 31) { Int64($0) * 25 - ($0 % 50 == 49 ? 18_000 : 0) }
        var sequential = MetricsBuckets(minuteRetention: 86_400)
        try sequential.catchUp(from: log, after: 0)
        let last = try log.lastSequence(of: .traffic)
        for cuts: [SequenceNumber] in [[7_000], [1, 2_300, 2_301, 9_999], [3_456, 3_457, 3_470, 13_999]] {
            let bounds = [0] + cuts + [last]
            var joined = MetricsBuckets(minuteRetention: 86_400)
            for (from, to) in zip(bounds, bounds.dropFirst()) {
                var part = MetricsBuckets(minuteRetention: 86_400)
                try part.catchUp(from: log, after: from, through: to)
                joined.absorb(part)
            }
            #expect(joined.folded == sequential.folded)
            let end = start.adding(seconds: 5 * 86_400)
            for (from, to) in [(start, end), (start.adding(seconds: 3 * 86_400 + 90), end), (start.adding(seconds: 40_000), start.adding(seconds: 50_000))] {
                #expect(joined.tallies(from: from, to: to) { _ in true } == sequential.tallies(from: from, to: to) { _ in true }, "\(cuts) from \(from)")
            }
            #expect(joined.hourly(.all, from: start, to: end).map(\.tally) == sequential.hourly(.all, from: start, to: end).map(\.tally))
            let lastHours = (start.adding(seconds: 4 * 86_400 - 4 * 3600), end)
            #expect(joined.recentTallies(from: lastHours.0, to: lastHours.1) == sequential.recentTallies(from: lastHours.0, to: lastHours.1))
            #expect(joined.recentMinutes.count == sequential.recentMinutes.count)
        }
        let parallel = try MetricsBuckets.rebuild(from: log, threads: 3, minimumStretch: 1_000)
        #expect(parallel.tallies(from: start, to: start.adding(seconds: 5 * 86_400)) { _ in true }
            == (try MetricsBuckets.rebuild(from: log, threads: 1)).tallies(from: start, to: start.adding(seconds: 5 * 86_400)) { _ in true })
    }

    @Test("the binary checkpoint form round-trips, open minute and hour included: folding on from it equals folding on from the original")
    func codec() throws {
        let (log, _) = try log(count: 4_000, secondsApart: 11)
        var original = MetricsBuckets()
        var position: SequenceNumber = 0
        try log.scan(.traffic, after: 0) { record in
            original.add(try RequestCompletedView(record))
            position = record.sequence
            return position < 2_500
        }
        var restored = try MetricsBuckets(decoding: original.encoded())
        #expect(restored.folded == original.folded)
        try original.catchUp(from: log, after: position)
        try restored.catchUp(from: log, after: position)
        let end = start.adding(seconds: 86_400)
        for dimension: MetricDimension in [.all, .status(200), .status(500)] {
            #expect(restored.tally(dimension, from: start, to: end) == original.tally(dimension, from: start, to: end))
        }
        let keys = { (buckets: MetricsBuckets) in buckets.tallies(from: self.start, to: end) { if case .key = $0 { true } else { false } } }
        #expect(keys(restored) == keys(original))
        #expect(!original.recentMinutes.isEmpty && restored.recentMinutes == original.recentMinutes)
        #expect(throws: (any Error).self) { try MetricsBuckets(decoding: [9, 1, 2]) }
    }

    @Test("the projection checkpoints as it goes; a new one starts from the checkpoint and agrees with a full rebuild")
    func projectionCheckpoint() throws {
        let (log, _) = try log(count: 3_000, secondsApart: 13)
        let first = try MetricsProjection(log: log, checkpointInterval: 1_000)
        let total = try first.read { $0.tally(.all, from: start, to: start.adding(seconds: 86_400)) }
        let checkpoint = try #require(try log.loadCheckpoint(named: "metrics"))
        #expect(checkpoint.sequence > 0)
        var traffic = SyntheticTraffic(seed: 77)
        _ = try log.appendTraffic([traffic.next(at: start.adding(seconds: 40_000)).trafficAppend()])
        let second = try MetricsProjection(log: log, checkpointInterval: 1_000)
        let after = try second.read { $0.tally(.all, from: start, to: start.adding(seconds: 86_400)) }
        #expect(after.requests == total.requests + 1)
        #expect(after == (try MetricsBuckets.rebuild(from: log)).tally(.all, from: start, to: start.adding(seconds: 86_400)))
        try log.saveCheckpoint(Checkpoint(name: "metrics", sequence: checkpoint.sequence, state: [0xFF, 0]))
        #expect(try MetricsProjection(log: log).read { $0.folded } == 3_001)  // an unreadable checkpoint: replayed from the start
    }
}

extension MetricsBucketsTests {
    @Test("a rebuild that anticipates retention builds exactly the buckets of folding each outcome in turn — a silent day, late outcomes, weeks past the minutes kept")
    func anticipatedRetentionEqualsFolding() throws {
        // Six days with a silent day and a half in the middle, an outcome every 37 s, every
        // 97th ten hours late; minutes kept a day, hours ten days.
        let (log, outcomes) = try log(count: 12_000, seed: 41) { index in
            Int64(index) * 37 + (index >= 5_000 ? 130_000 : 0) - (index % 97 == 96 ? 36_000 : 0)
        }
        var folded = MetricsBuckets(minuteRetention: 86_400, hourRetention: 10 * 86_400)
        try log.scan(.traffic, after: 0) { record in
            folded.add(try RequestCompletedView(record))
            return true
        }
        for threads in [1, 3] {
            var rebuilt = MetricsBuckets(minuteRetention: 86_400, hourRetention: 10 * 86_400)
            rebuilt.anticipateRetention(through: try #require(outcomes.last?.startTime))
            #expect(rebuilt.earliest == nil)
            let last = try log.lastSequence(of: .traffic)
            let bounds = (0 ... threads).map { UInt64($0) * last / UInt64(threads) }
            for (from, to) in zip(bounds, bounds.dropFirst()) {
                var part = MetricsBuckets(minuteRetention: 86_400, hourRetention: 10 * 86_400)
                part.anticipateRetention(through: try #require(outcomes.last?.startTime))
                try part.catchUp(from: log, after: from, through: to)
                rebuilt.absorb(part)
            }
            #expect(rebuilt.folded == folded.folded)
            #expect(rebuilt.minutes == folded.minutes, "\(threads) threads")
            #expect(rebuilt.hours == folded.hours)
            #expect(rebuilt.days == folded.days)
            #expect(rebuilt.recentMinutes == folded.recentMinutes)
            #expect(rebuilt.earliest == folded.earliest)
            let (from, end) = (start.adding(seconds: -86_400), start.adding(seconds: 8 * 86_400))
            #expect(rebuilt.tallies(from: from, to: end) { _ in true } == folded.tallies(from: from, to: end) { _ in true })
        }
        // Minutes retention dropped are not kept: the first kept one is within a day of the hour before the last.
        let firstMinute = try #require(folded.minutes.keys.min())
        let lastHour = (outcomes.map(\.startTime.microseconds).max()! / 3_600_000_000)
        #expect(firstMinute >= (lastHour - 1) * 60 - 1_440)
        #expect(try MetricsBuckets.rebuild(from: log).tally(.all, from: start.adding(seconds: -86_400), to: start.adding(seconds: 8 * 86_400)).requests == 12_000)
    }
}

extension MetricsBucketsTests {
    @Test("a parallel rebuild's stretches: equal counts when no minutes are built, earlier cuts when the last ones build theirs")
    func rebuildStretches() {
        #expect(RebuildStretches.bounds(last: 1_000, parts: 2, minutesKeptAfter: 1_000) == [0, 500, 1_000])
        #expect(RebuildStretches.bounds(last: 1_000, parts: 4, minutesKeptAfter: 0) == [0, 250, 500, 750, 1_000])
        // 800 light and 200 heavy outcomes weigh 1,100: half is 550.
        #expect(RebuildStretches.bounds(last: 1_000, parts: 2, minutesKeptAfter: 800) == [0, 550, 1_000])
        // 200 light and 800 heavy weigh 1,400: half is 700, past the light ones by 500 (333 heavy).
        #expect(RebuildStretches.bounds(last: 1_000, parts: 2, minutesKeptAfter: 200) == [0, 533, 1_000])
        #expect(RebuildStretches.bounds(last: 1, parts: 1, minutesKeptAfter: 5) == [0, 1])
    }
}
