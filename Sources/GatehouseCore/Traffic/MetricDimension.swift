import Foundation

/// What a metrics bucket is kept for. The main dimensions — everything, a gateway, route
/// (template), API key, backend instance — keep latency histograms; the detail dimensions that
/// break a range down for the analytics responses (statuses, a route's statuses, places,
/// consumers and cache use, distinct errors, JWT subjects) only count.
public enum MetricDimension: Hashable, Sendable, Codable {
    case all
    case gateway(GatewayID)
    case route(RouteID)
    case key(APIKeyID)
    case backend(BackendServiceID)
    /// The response status; 0 when none was sent.
    case status(Int)
    case routeStatus(RouteID, Int)
    /// A route's requests by API key.
    case routeConsumer(RouteID, APIKeyID)
    /// A route's requests by client country and city ("" when unknown).
    case routePlace(RouteID, country: String, city: String)
    /// One kind of error: a status ≥ 400 and the gateway's message for it ("" when none).
    case error(status: Int, message: String)
    /// A JWT subject calling without an API key.
    case subject(String)
    /// A route's requests that looked the cache up: answered from it (`hit`) or fetched.
    case routeCacheUse(RouteID, hit: Bool)
    /// A key's requests by the minute, kept only a few hours (``MetricsBuckets/recentRetention``):
    /// the per-key rate baselines of the spike alerts (`.key` is kept by the hour).
    case recentKey(APIKeyID)

    /// Calls `body` with each dimension one outcome counts in — one at a time, built in place:
    /// the fold runs this for every outcome, and collecting them in an array first cost a copy,
    /// a consume and a destroy of each.
    @inline(__always)
    static func forEach(of outcome: RequestCompletedView, _ body: (MetricDimension) -> Void) {
        body(.all)
        if let gateway = outcome.gatewayID { body(.gateway(gateway)) }
        if let backend = outcome.backendServiceID { body(.backend(backend)) }
        let status = outcome.status
        let apiKey = outcome.apiKeyID
        body(.status(status))
        if let key = apiKey {
            body(.key(key))
            body(.recentKey(key))
        } else if let subject = outcome.jwtSubject {
            body(.subject(subject))
        }
        if status >= 400 { body(.error(status: status, message: outcome.errorMessage ?? "")) }
        guard let route = outcome.routeID else { return }
        body(.route(route))
        body(.routeStatus(route, status))
        if let key = apiKey { body(.routeConsumer(route, key)) }
        switch outcome.cacheStatus {
        case .hit, .stale: body(.routeCacheUse(route, hit: true))
        case .miss, .expired: body(.routeCacheUse(route, hit: false))
        case .none, .bypass: break
        }
        let (country, city) = (outcome.country, outcome.city)
        if country != nil || city != nil { body(.routePlace(route, country: country ?? "", city: city ?? "")) }
    }

    /// Whether its tallies keep a latency histogram.
    public var keepsLatency: Bool {
        switch self {
        case .all, .gateway, .route, .key, .backend: true
        case .status, .routeStatus, .routeConsumer, .routePlace, .error, .subject, .routeCacheUse, .recentKey: false
        }
    }

    /// Consumer dimensions (there can be very many) are kept by the hour and day only.
    public var isConsumer: Bool {
        switch self {
        case .key, .routeConsumer, .subject: true
        default: false
        }
    }

    /// Kept by the minute for a few hours only, never rolled into hours or days.
    public var isRecentOnly: Bool {
        if case .recentKey = self { return true }
        return false
    }

    /// The status class (1…5, 0 when no response was sent) of a `.status` dimension.
    public var statusClass: Int? {
        if case .status(let status) = self { return status / 100 }
        return nil
    }
}

extension MetricDimension {
    /// One 64-bit word standing for the dimension — identifiers are random UUIDs, so folding
    /// their halves keeps them apart; strings are folded with FNV-1a. Hashing feeds the hasher
    /// only this word, and ``TallyTable`` probes with it directly: bucket lookups run for every
    /// dimension of every outcome, and hashing the full payload was a rebuild's largest cost.
    public var word: UInt64 {
        switch self {
        case .all: 0
        case .gateway(let id): Self.fold(id.uuid) &+ 1
        case .route(let id): Self.fold(id.uuid) &+ 2
        case .key(let id): Self.fold(id.uuid) &+ 3
        case .backend(let id): Self.fold(id.uuid) &+ 4
        case .status(let status): UInt64(truncatingIfNeeded: status) &* 0x9E37_79B9_7F4A_7C15 &+ 5
        case .routeStatus(let id, let status): Self.fold(id.uuid) ^ (UInt64(truncatingIfNeeded: status) &* 0x9E37_79B9_7F4A_7C15)
        case .routeConsumer(let id, let key): Self.fold(id.uuid) ^ Self.fold(key.uuid).rotated(by: 17)
        case .routePlace(let id, let country, let city): Self.fold(id.uuid) ^ Self.fnv(city, Self.fnv(country, 8))
        case .error(let status, let message): Self.fnv(message, UInt64(truncatingIfNeeded: status) &+ 9)
        case .subject(let subject): Self.fnv(subject, 10)
        case .routeCacheUse(let id, let hit): Self.fold(id.uuid) &+ (hit ? 11 : 12)
        case .recentKey(let id): Self.fold(id.uuid) &+ 13
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(word) }

    private static func fold(_ uuid: UUID) -> UInt64 {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self) ^ bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).rotated(by: 29)
        }
    }

    private static func fnv(_ text: String, _ seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}

extension UInt64 {
    fileprivate func rotated(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
