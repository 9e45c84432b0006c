import EventLog
import GatehouseCore
import GatehouseEngine
import Testing

/// The analytics figures read from the metrics buckets agree with the outcomes they fold:
/// statuses, errors with first and last sighting, consumers, places, hourly trends.
@Suite("traffic analysis from buckets")
struct TrafficAnalysisTests {
    let start = Timestamp(microseconds: 1_800_000_000 * 1_000_000 - 1_800_000_000 * 1_000_000 % 86_400_000_000)

    @Test("a day of generated traffic: overview and one route's figures equal a count over the outcomes")
    func generatedDay() throws {
        let log = InMemoryEventLog()
        var traffic = SyntheticTraffic(seed: 21)
        let outcomes = (0 ..< 12_000).map { traffic.next(at: start.adding(seconds: Int64($0) * 7)) }
        _ = try log.appendTraffic(outcomes.map { $0.trafficAppend() })
        let buckets = try MetricsBuckets.rebuild(from: log)
        // Whole minutes, so the widening changes nothing.
        let (from, to) = (start.adding(seconds: 3_600), start.adding(seconds: 50_400))
        let inside = outcomes.filter { $0.startTime >= from && $0.startTime < to }

        let overview = TrafficAnalysis(buckets, from: from, to: to)
        #expect(overview.overall.requests == UInt64(inside.count))
        #expect(overview.byStatus == Dictionary(grouping: inside, by: \.status).mapValues { UInt64($0.count) })
        #expect(overview.consumers == Set(inside.compactMap(\.apiKeyID)).count)
        #expect(overview.hours.count == 13 && overview.hours.map(\.tally.requests).reduce(0, +) == UInt64(inside.count))
        let firstHour = inside.filter { $0.startTime < from.adding(seconds: 3_600) && $0.status >= 400 }
        #expect(overview.hours.first?.errorStatuses == Dictionary(grouping: firstHour, by: \.status).mapValues { UInt64($0.count) })
        let failures = inside.filter { $0.status == 502 }
        let upstream = try #require(overview.errors[TrafficAnalysis.ErrorKind(status: 502, message: "upstream failed")])
        #expect(upstream.requests == UInt64(failures.count))
        #expect(upstream.firstSeen == failures.first?.startTime && upstream.lastSeen == failures.last?.startTime)
        #expect(overview.errors[TrafficAnalysis.ErrorKind(status: 429, message: "")]?.requests == UInt64(inside.filter { $0.status == 429 }.count))

        let routeID = try #require(inside.first?.routeID)
        let routed = inside.filter { $0.routeID == routeID }
        let route = TrafficAnalysis(buckets, from: from, to: to, route: routeID)
        #expect(route.overall.requests == UInt64(routed.count) && route.byRoute.isEmpty && route.errors.isEmpty)
        #expect(route.byStatus == Dictionary(grouping: routed, by: \.status).mapValues { UInt64($0.count) })
        #expect(route.byPlace == Dictionary(grouping: routed) { TrafficAnalysis.Place(country: $0.country ?? "", city: $0.city ?? "") }.mapValues { UInt64($0.count) })
        let keyed = Dictionary(grouping: routed.filter { $0.apiKeyID != nil }) { $0.apiKeyID! }
        #expect(route.byKey.mapValues(\.requests) == keyed.mapValues { UInt64($0.count) })
        #expect(route.byHourOfDay.values.reduce(0, +) == UInt64(routed.count))
        let exact = routed.map(\.totalMicros).sorted()[Int((0.99 * Double(routed.count)).rounded(.up)) - 1]
        #expect(abs(Double(route.overall.latency.value(at: 0.99)) - Double(exact)) <= Double(exact) / 64 + 1)
    }

    @Test("JWT subjects without a key count as consumers; an empty range is all zeros")
    func subjectsAndEmpty() throws {
        let log = InMemoryEventLog()
        let outcomes = (0 ..< 30).map { index in
            RequestCompleted(
                requestID: "jwt-\(index)", startTime: start.adding(seconds: Int64(index)), totalMicros: 300,
                jwtSubject: "user-\(index % 4)", method: "GET", path: "/api/v1/weddings", status: 200, decision: .proxied
            )
        }
        _ = try log.appendTraffic(outcomes.map { $0.trafficAppend() })
        let buckets = try MetricsBuckets.rebuild(from: log)
        #expect(TrafficAnalysis(buckets, from: start, to: start.adding(seconds: 60)).consumers == 4)
        let empty = TrafficAnalysis(buckets, from: start.adding(seconds: -86_400), to: start.adding(seconds: -3_600))
        #expect(empty.overall.requests == 0 && empty.hours.isEmpty && empty.byStatus.isEmpty && empty.consumers == 0)
    }
}
