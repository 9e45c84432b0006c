import GatehouseCore

/// What a group of request outcomes adds up to: counts, errors, cache use and latencies.
public struct OutcomeTally: Sendable, Hashable {
    public private(set) var requests = 0
    /// Responses with status ≥ 400.
    public private(set) var errors = 0
    /// Responses with status ≥ 500.
    public private(set) var serverErrors = 0
    /// Responses served from the cache, of those that looked it up (bypasses did not).
    public private(set) var cacheHits = 0
    public private(set) var cacheLookups = 0
    /// Requests admitted past authentication and limits: what a key's quota counts.
    public private(set) var quotaCounted = 0
    /// The latest outcome's start time.
    public private(set) var lastSeen: Timestamp?
    private var latenciesMicros: [Int64] = []
    private var backendMicros: Int64 = 0
    private var backendSamples = 0

    public init() {}

    /// Counts one outcome.
    public mutating func add(_ outcome: RequestCompletedView) {
        requests += 1
        if outcome.decision.countsAgainstQuota { quotaCounted += 1 }
        if outcome.status >= 400 { errors += 1 }
        if outcome.status >= 500 { serverErrors += 1 }
        switch outcome.cacheStatus {
        case .none: break
        case .hit, .stale: cacheHits += 1; cacheLookups += 1
        case .miss, .expired: cacheLookups += 1
        case .bypass: break  // the cache was not asked
        }
        latenciesMicros.append(outcome.totalMicros)
        if let backend = outcome.backendMicros {
            backendMicros += backend
            backendSamples += 1
        }
        if lastSeen.map({ $0 < outcome.startTime }) ?? true { lastSeen = outcome.startTime }
    }

    /// Adds everything `other` counted.
    public mutating func merge(_ other: OutcomeTally) {
        requests += other.requests
        quotaCounted += other.quotaCounted
        errors += other.errors
        serverErrors += other.serverErrors
        cacheHits += other.cacheHits
        cacheLookups += other.cacheLookups
        latenciesMicros += other.latenciesMicros
        backendMicros += other.backendMicros
        backendSamples += other.backendSamples
        if let seen = other.lastSeen, lastSeen.map({ $0 < seen }) ?? true { lastSeen = seen }
    }

    /// Mean end-to-end time in milliseconds (0 with no requests).
    public var averageMilliseconds: Double {
        latenciesMicros.isEmpty ? 0 : Double(latenciesMicros.reduce(0, +)) / Double(latenciesMicros.count) / 1000
    }

    /// Mean time spent waiting for the upstream, in milliseconds (0 with no samples).
    public var averageBackendMilliseconds: Double {
        backendSamples == 0 ? 0 : Double(backendMicros) / Double(backendSamples) / 1000
    }

    /// The `quantile` (0…1) end-to-end time in milliseconds, nearest-rank (0 with no requests).
    public func percentileMilliseconds(_ quantile: Double) -> Double {
        guard !latenciesMicros.isEmpty else { return 0 }
        let sorted = latenciesMicros.sorted()
        let rank = Int((quantile * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1000
    }

    /// `errors / requests` (0 with no requests).
    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }

    /// `serverErrors / requests` (0 with no requests).
    public var serverErrorRate: Double { requests == 0 ? 0 : Double(serverErrors) / Double(requests) }

    /// `cacheHits / cacheLookups` (0 when nothing looked the cache up).
    public var cacheHitRate: Double { cacheLookups == 0 ? 0 : Double(cacheHits) / Double(cacheLookups) }
}
