/// The figures behind the spec's analytics responses for a time range — totals, latency
/// percentiles, cache use, consumers, endpoints, statuses, errors, places and hourly trends,
/// for everything or one route — read from the metrics buckets: a range costs a few dozen
/// bucket merges, not a pass over its outcomes. Ranges are widened to whole minutes (see
/// ``MetricsBuckets``).
public struct TrafficAnalysis: Sendable {
    /// One hour's figures: its tally and its error responses by status.
    public struct Hour: Sendable {
        public let start: Timestamp
        public let tally: MetricTally
        public let errorStatuses: [Int: UInt64]
    }

    /// A client's country and city ("" when unknown).
    public struct Place: Sendable, Hashable, Comparable {
        public let country: String
        public let city: String

        public init(country: String, city: String) {
            self.country = country
            self.city = city
        }

        public static func < (left: Place, right: Place) -> Bool { (left.country, left.city) < (right.country, right.city) }
    }

    /// One kind of error: a status and the gateway's message ("" when none).
    public struct ErrorKind: Sendable, Hashable {
        public let status: Int
        public let message: String

        public init(status: Int, message: String) {
            self.status = status
            self.message = message
        }
    }

    public let from: Timestamp
    public let to: Timestamp
    /// The range's (or the route's) tally.
    public private(set) var overall = MetricTally()
    /// Per route (everything) — empty for one route.
    public private(set) var byRoute: [RouteID: MetricTally] = [:]
    public private(set) var byStatus: [Int: UInt64] = [:]
    /// Per API key: every key, or the route's callers.
    public private(set) var byKey: [APIKeyID: MetricTally] = [:]
    /// Per place — for one route only.
    public private(set) var byPlace: [Place: UInt64] = [:]
    /// Distinct errors with their counts and first and last sighting — for everything only.
    public private(set) var errors: [ErrorKind: MetricTally] = [:]
    /// Distinct consumers: API keys and (for everything) JWT subjects calling without one.
    public private(set) var consumers = 0
    /// The hours of the range that saw requests, in order.
    public private(set) var hours: [Hour] = []

    /// Reads the analysis of `[from, to)` — of `route` only, when given — from `buckets`.
    public init(_ buckets: MetricsBuckets, from: Timestamp, to: Timestamp, route: RouteID? = nil) {
        self.from = from
        self.to = to
        let subject: MetricDimension = route.map { .route($0) } ?? .all
        let tallies = buckets.tallies(from: from, to: to) { Self.belongs($0, to: route) }
        var errorStatuses: [MetricDimension] = []
        for (dimension, tally) in tallies {
            if dimension == subject {
                overall = tally
                continue
            }
            switch dimension {
            case .route(let id): byRoute[id] = tally
            case .status(let status), .routeStatus(_, let status):
                byStatus[status, default: 0] += tally.requests
                if status >= 400 { errorStatuses.append(dimension) }
            case .key(let key), .routeConsumer(_, let key): byKey[key] = tally; consumers += 1
            case .subject: consumers += 1
            case .routePlace(_, let country, let city): byPlace[Place(country: country, city: city), default: 0] += tally.requests
            case .error(let status, let message): errors[ErrorKind(status: status, message: message)] = tally
            case .all, .gateway, .backend, .routeCacheUse, .recentKey: break
            }
        }
        // Hours before the first bucket hold nothing: start the trend there.
        let first = max(from, buckets.earliest ?? to)
        hours = buckets.hourly([subject] + errorStatuses, from: first, to: to).compactMap { hour, tallies in
            guard let tally = tallies[subject], tally.requests > 0 else { return nil }
            let statuses = tallies.reduce(into: [Int: UInt64]()) { statuses, entry in
                if case .status(let status) = entry.key { statuses[status] = entry.value.requests }
                if case .routeStatus(_, let status) = entry.key { statuses[status] = entry.value.requests }
            }
            return Hour(start: hour, tally: tally, errorStatuses: statuses)
        }
    }

    /// Requests by hour of the day (UTC, 0–23) over the range.
    public var byHourOfDay: [Int: UInt64] {
        hours.reduce(into: [:]) { $0[Int(($1.start.microseconds / 3_600_000_000) % 24), default: 0] += $1.tally.requests }
    }

    /// Whether `dimension` is read for an analysis of everything (`route` nil) or of one route.
    private static func belongs(_ dimension: MetricDimension, to route: RouteID?) -> Bool {
        guard let route else {
            switch dimension {
            case .all, .route, .status, .key, .subject, .error: return true
            default: return false
            }
        }
        switch dimension {
        case .route(let id), .routeStatus(let id, _), .routeConsumer(let id, _), .routePlace(let id, _, _): return id == route
        default: return false
        }
    }
}
