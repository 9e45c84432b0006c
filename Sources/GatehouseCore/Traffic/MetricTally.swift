/// What a bucket of request outcomes adds up to — counts, errors, bytes, cache use, quota use,
/// upstream time, when they happened and a latency histogram — mergeable across buckets and
/// dimensions.
public struct MetricTally: Sendable, Hashable, Codable {
    public var requests: UInt64 = 0
    public var clientErrors: UInt64 = 0
    public var serverErrors: UInt64 = 0
    public var requestBytes: Int64 = 0
    public var responseBytes: Int64 = 0
    public var cacheHits: UInt64 = 0
    public var cacheLookups: UInt64 = 0
    /// Requests admitted past authentication and limits: what a key's quota counts.
    public var quotaCounted: UInt64 = 0
    /// Time spent waiting for upstreams, over the outcomes that reached one.
    public var backendMicros: Int64 = 0
    public var backendSamples: UInt64 = 0
    /// End-to-end latency (microseconds); empty for the detail dimensions, which only count
    /// (see ``MetricDimension/keepsLatency``).
    public var latency = LatencyHistogram()
    public var totalMicros: Int64 = 0
    /// Start times of the first and last outcome counted (µs since the epoch).
    public var firstMicros: Int64 = .max
    public var lastMicros: Int64 = .min

    public init() {}

    /// Counts one outcome — its latency in the histogram only when `histogram` is set.
    public mutating func add(_ outcome: RequestCompletedView, histogram: Bool = true) {
        requests += 1
        if outcome.status >= 500 { serverErrors += 1 } else if outcome.status >= 400 { clientErrors += 1 }
        requestBytes += outcome.requestBytes
        responseBytes += outcome.responseBytes
        if outcome.decision.countsAgainstQuota { quotaCounted += 1 }
        if let backend = outcome.backendMicros {
            backendMicros += backend
            backendSamples += 1
        }
        switch outcome.cacheStatus {
        case .hit, .stale: cacheHits += 1; cacheLookups += 1
        case .miss, .expired: cacheLookups += 1
        case .none, .bypass: break
        }
        if histogram { latency.record(outcome.totalMicros) }
        totalMicros += outcome.totalMicros
        let start = outcome.startTime.microseconds
        if start < firstMicros { firstMicros = start }
        if start > lastMicros { lastMicros = start }
    }

    public mutating func merge(_ other: MetricTally) {
        requests += other.requests
        clientErrors += other.clientErrors
        serverErrors += other.serverErrors
        requestBytes += other.requestBytes
        responseBytes += other.responseBytes
        cacheHits += other.cacheHits
        cacheLookups += other.cacheLookups
        quotaCounted += other.quotaCounted
        backendMicros += other.backendMicros
        backendSamples += other.backendSamples
        latency.merge(other.latency)
        totalMicros += other.totalMicros
        firstMicros = min(firstMicros, other.firstMicros)
        lastMicros = max(lastMicros, other.lastMicros)
    }

    public var errors: UInt64 { clientErrors + serverErrors }
    public var averageMilliseconds: Double { requests == 0 ? 0 : Double(totalMicros) / Double(requests) / 1000 }
    public func percentileMilliseconds(_ quantile: Double) -> Double { Double(latency.value(at: quantile)) / 1000 }
    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
    /// `serverErrors / requests` (0 with no requests).
    public var serverErrorRate: Double { requests == 0 ? 0 : Double(serverErrors) / Double(requests) }
    /// Mean time waiting for the upstream, in milliseconds (0 with no samples).
    public var averageBackendMilliseconds: Double { backendSamples == 0 ? 0 : Double(backendMicros) / Double(backendSamples) / 1000 }
    public var cacheHitRate: Double { cacheLookups == 0 ? 0 : Double(cacheHits) / Double(cacheLookups) }
    /// The first and last outcome's start (nil when nothing was counted).
    public var firstSeen: Timestamp? { requests == 0 ? nil : Timestamp(microseconds: firstMicros) }
    public var lastSeen: Timestamp? { requests == 0 ? nil : Timestamp(microseconds: lastMicros) }
}
