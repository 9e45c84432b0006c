import Foundation

/// Deterministic, realistic request outcomes for benchmarks, tests and demos: WedSync paths,
/// a mix of statuses, decisions, keys and cache results, drawn from a seeded generator.
public struct SyntheticTraffic: Sendable {
    private var random: SplitMix64
    private var counter: UInt64 = 0
    private let gatewayID: GatewayID
    private let routes: [(id: RouteID, method: String, prefix: String, suffix: String, range: UInt64)]
    private let keys: [APIKeyID]
    private let instances: [BackendServiceID]

    /// A generator; the same seed gives the same outcomes.
    public init(seed: UInt64, gatewayID: GatewayID = GatewayID()) {
        random = SplitMix64(seed: seed)
        self.gatewayID = gatewayID
        var ids = SplitMix64(seed: seed ^ 0x9E37_79B9)
        func uuid() -> Foundation.UUID {
            let high = ids.next()
            let low = ids.next()
            return withUnsafeBytes(of: (high, low)) { bytes in
                Foundation.UUID(uuid: bytes.load(as: uuid_t.self))
            }
        }
        // (method, path before the id, path after it, id range; 0 = no id)
        routes = [
            ("GET", "/api/v1/weddings", "", 0), ("GET", "/api/v1/weddings/", "", 5000), ("POST", "/api/v1/weddings/", "/rsvps", 5000),
            ("GET", "/api/v1/weddings/", "/rsvps", 5000), ("GET", "/api/v1/vendors", "", 0), ("GET", "/api/v1/vendors/", "", 800),
            ("PUT", "/api/v1/weddings/", "", 5000), ("GET", "/api/v2/weddings/", "", 5000),
        ].map { (RouteID(uuid()), $0.0, $0.1, $0.2, UInt64($0.3)) }
        keys = (0 ..< 50).map { _ in APIKeyID(uuid()) }
        instances = (0 ..< 6).map { _ in BackendServiceID(uuid()) }
    }

    /// The next outcome, starting at `time`.
    public mutating func next(at time: Timestamp) -> RequestCompleted {
        counter += 1
        let route = routes[Int(random.next() % UInt64(routes.count))]
        let (routeID, method) = (route.id, route.method)
        let path = route.range == 0 ? route.prefix : route.prefix + String(random.next() % route.range) + route.suffix
        let roll = random.next() % 1000
        let (status, decision): (Int, RequestDecision) = switch roll {
        case 0 ..< 930: (method == "POST" ? 201 : 200, .proxied)
        case 930 ..< 960: (429, .rateLimited)
        case 960 ..< 975: (401, .unauthenticated)
        case 975 ..< 985: (404, .proxied)
        case 985 ..< 995: (502, .upstreamError)
        default: (504, .upstreamTimeout)
        }
        let backend = decision == .proxied || status >= 500 ? Int64(500 + random.next() % 40_000) : nil
        let cache: CacheStatus = method == "GET" ? [.hit, .miss, .hit, .bypass][Int(random.next() % 4)] : .none
        let octets = [UInt8(10), UInt8(random.next() % 256), UInt8(random.next() % 256), UInt8(1 + random.next() % 254)]
        return RequestCompleted(
            requestID: Self.requestID(counter), startTime: time, totalMicros: (backend ?? 0) + Int64(80 + random.next() % 400),
            backendMicros: backend, gatewayID: gatewayID, routeID: routeID, backendServiceID: backend == nil ? nil : instances[Int(random.next() % 6)],
            apiKeyID: roll % 3 == 0 ? nil : keys[Int(random.next() % UInt64(keys.count))], clientIP: ClientIP(bytes: octets),
            country: ["GB", "US", "FR", "IT"][Int(random.next() % 4)], method: method, path: path,
            query: roll % 5 == 0 ? "page=\(random.next() % 20)" : "", status: status, requestBytes: method == "GET" ? 0 : 420,
            responseBytes: Int64(200 + random.next() % 4000), userAgent: "WedSyncApp/5.2 (iOS 19)",
            cacheStatus: cache, decision: decision,
            rules: decision == .rateLimited ? [RuleEvaluation(ruleID: "basic-tier", windowSeconds: 60, counter: 101, limit: 100, enforced: true)] : [],
            errorMessage: status >= 500 ? "upstream failed" : nil
        )
    }
}

extension SyntheticTraffic {
    /// Time-ordered ids, like the gateway generates: fixed-width hex, so they sort as they are made.
    static func requestID(_ counter: UInt64) -> String {
        let hex = String(counter, radix: 16)
        return "req-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

