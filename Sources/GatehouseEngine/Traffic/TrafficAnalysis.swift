import EventLog
import GatehouseCore

/// The spec's analytics over a time range, folded from the request outcomes in it (read through
/// the time index): totals, latency percentiles, cache use, consumers, endpoints, errors, geo
/// and hourly trends, optionally for one route. Until the bucketed metrics projection lands
/// (issue #8) the admin API's analytics are computed this way, in one pass over the range.
public struct TrafficAnalysis: Sendable {
    /// One hour's figures.
    public struct Hour: Sendable {
        public var start: Timestamp
        public var tally = OutcomeTally()
        public var statuses: [Int: Int] = [:]
    }

    /// One distinct error: a status and message.
    public struct ErrorKind: Sendable, Hashable {
        public var status: Int
        public var message: String
    }

    /// How often an error occurred and when.
    public struct ErrorSeen: Sendable {
        public var count = 0
        public var first: Timestamp
        public var last: Timestamp
    }

    public let from: Timestamp
    public let to: Timestamp
    public private(set) var overall = OutcomeTally()
    public private(set) var byRoute: [RouteID: OutcomeTally] = [:]
    public private(set) var byStatus: [Int: Int] = [:]
    public private(set) var byHour: [Timestamp: Hour] = [:]
    /// Requests by hour of the day (UTC), 0–23.
    public private(set) var byHourOfDay: [Int: Int] = [:]
    public private(set) var byGeo: [String: Int] = [:]
    public private(set) var byKey: [APIKeyID: OutcomeTally] = [:]
    public private(set) var consumers: Set<String> = []
    public private(set) var errors: [ErrorKind: ErrorSeen] = [:]

    /// Folds the outcomes that started in `[from, to)` — of `route` only, when given.
    public static func load(from log: any EventLog, from: Timestamp, to: Timestamp, route: RouteID? = nil) throws -> TrafficAnalysis {
        var analysis = TrafficAnalysis(from: from, to: to)
        guard let first = try log.firstSequence(atOrAfter: from.microseconds) else { return analysis }
        try log.scan(.traffic, after: first > 0 ? first - 1 : 0) { record in
            let outcome = try RequestCompletedView(record)
            if outcome.startTime >= to.adding(seconds: 120) { return false }
            guard outcome.startTime >= from, outcome.startTime < to, route == nil || outcome.routeID == route else { return true }
            analysis.add(outcome)
            return true
        }
        return analysis
    }

    init(from: Timestamp, to: Timestamp) {
        self.from = from
        self.to = to
    }

    mutating func add(_ outcome: RequestCompletedView) {
        overall.add(outcome)
        if let route = outcome.routeID { byRoute[route, default: OutcomeTally()].add(outcome) }
        byStatus[outcome.status, default: 0] += 1
        let hour = Timestamp(microseconds: outcome.startTime.microseconds - outcome.startTime.microseconds % 3_600_000_000)
        byHour[hour, default: Hour(start: hour)].tally.add(outcome)
        byHour[hour, default: Hour(start: hour)].statuses[outcome.status, default: 0] += 1
        byHourOfDay[Int((outcome.startTime.microseconds / 3_600_000_000) % 24), default: 0] += 1
        if outcome.country != nil || outcome.city != nil { byGeo["\(outcome.country ?? "")|\(outcome.city ?? "")", default: 0] += 1 }
        if let key = outcome.apiKeyID {
            byKey[key, default: OutcomeTally()].add(outcome)
            consumers.insert("key:\(key)")
        } else if let subject = outcome.jwtSubject {
            consumers.insert("sub:\(subject)")
        }
        if outcome.status >= 400 {
            let kind = ErrorKind(status: outcome.status, message: outcome.errorMessage ?? "")
            var seen = errors[kind] ?? ErrorSeen(first: outcome.startTime, last: outcome.startTime)
            seen.count += 1
            seen.first = min(seen.first, outcome.startTime)
            seen.last = max(seen.last, outcome.startTime)
            errors[kind] = seen
        }
    }
}
