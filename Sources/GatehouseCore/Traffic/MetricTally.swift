/// What a bucket of request outcomes adds up to — counts, errors, bytes, cache use and a
/// latency histogram — mergeable across buckets and dimensions.
public struct MetricTally: Sendable, Hashable, Codable {
    public var requests: UInt64 = 0
    public var clientErrors: UInt64 = 0
    public var serverErrors: UInt64 = 0
    public var requestBytes: Int64 = 0
    public var responseBytes: Int64 = 0
    public var cacheHits: UInt64 = 0
    public var cacheLookups: UInt64 = 0
    /// End-to-end latency (microseconds).
    public var latency = LatencyHistogram()
    public var totalMicros: Int64 = 0

    public init() {}

    /// Counts one outcome.
    public mutating func add(_ outcome: RequestCompletedView) {
        requests += 1
        if outcome.status >= 500 { serverErrors += 1 } else if outcome.status >= 400 { clientErrors += 1 }
        requestBytes += outcome.requestBytes
        responseBytes += outcome.responseBytes
        switch outcome.cacheStatus {
        case .hit, .stale: cacheHits += 1; cacheLookups += 1
        case .miss, .expired: cacheLookups += 1
        case .none, .bypass: break
        }
        latency.record(outcome.totalMicros)
        totalMicros += outcome.totalMicros
    }

    public mutating func merge(_ other: MetricTally) {
        requests += other.requests
        clientErrors += other.clientErrors
        serverErrors += other.serverErrors
        requestBytes += other.requestBytes
        responseBytes += other.responseBytes
        cacheHits += other.cacheHits
        cacheLookups += other.cacheLookups
        latency.merge(other.latency)
        totalMicros += other.totalMicros
    }

    public var errors: UInt64 { clientErrors + serverErrors }
    public var averageMilliseconds: Double { requests == 0 ? 0 : Double(totalMicros) / Double(requests) / 1000 }
    public func percentileMilliseconds(_ quantile: Double) -> Double { Double(latency.value(at: quantile)) / 1000 }
    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
    public var cacheHitRate: Double { cacheLookups == 0 ? 0 : Double(cacheHits) / Double(cacheLookups) }
}

/// What a metrics bucket is kept for: everything, or one gateway, route (template), API key,
/// backend instance or status class.
public enum MetricDimension: Hashable, Sendable, Codable {
    case all
    case gateway(GatewayID)
    case route(RouteID)
    case key(APIKeyID)
    case backend(BackendServiceID)
    /// 1…5 for 1xx…5xx; 0 when no response was sent.
    case statusClass(Int)

    /// The dimensions one outcome counts in.
    public static func of(_ outcome: RequestCompletedView, into dimensions: inout [MetricDimension]) {
        dimensions.removeAll(keepingCapacity: true)
        dimensions.append(.all)
        if let gateway = outcome.gatewayID { dimensions.append(.gateway(gateway)) }
        if let route = outcome.routeID { dimensions.append(.route(route)) }
        if let key = outcome.apiKeyID { dimensions.append(.key(key)) }
        if let backend = outcome.backendServiceID { dimensions.append(.backend(backend)) }
        dimensions.append(.statusClass(outcome.status / 100))
    }
}
