/// The traffic event: one per request, gateway errors included — the spec's `api_request_logs`
/// row plus everything a later policy could key on, so what-if replays need no guessing.
///
/// Its fields are constants, as a fact that happened should be — and because with constant
/// fields Swift 6.3 builds the value in place: with variable ones its initializer copied the
/// finished value and destroyed the original, a retain and a release for each of the ~14
/// reference-counted fields of every request's outcome.
public struct RequestCompleted: Sendable, Hashable {
    /// The stable kind id of this event in the traffic stream.
    public static let kind: UInt16 = 1000

    public let requestID: String
    public let startTime: Timestamp
    /// Wall time from first byte in to last byte out, µs.
    public let totalMicros: Int64
    /// Time spent waiting on the upstream, µs; `nil` when no upstream was called.
    public let backendMicros: Int64?
    public let gatewayID: GatewayID?
    public let routeID: RouteID?
    public let apiVersionID: APIVersionID?
    public let backendServiceID: BackendServiceID?
    public let retries: Int
    public let apiKeyID: APIKeyID?
    public let jwtSubject: String?
    public let ownerID: String?
    public let ownerType: OwnerType?
    public let clientIP: ClientIP?
    public let country: String?
    public let city: String?
    public let method: String
    public let path: String
    /// Query string with secrets redacted.
    public let query: String
    public let status: Int
    public let requestBytes: Int64
    public let responseBytes: Int64
    /// Truncated to 256 bytes.
    public let userAgent: String?
    /// An allow-listed subset of request headers (never credentials).
    public let headers: [HeaderField]
    public let cacheStatus: CacheStatus
    public let decision: RequestDecision
    /// The limits evaluated for this request.
    public let rules: [RuleEvaluation]
    /// A short reason for errors the gateway produced.
    public let errorMessage: String?

    public init(
        requestID: String, startTime: Timestamp, totalMicros: Int64, backendMicros: Int64? = nil, gatewayID: GatewayID? = nil,
        routeID: RouteID? = nil, apiVersionID: APIVersionID? = nil, backendServiceID: BackendServiceID? = nil, retries: Int = 0,
        apiKeyID: APIKeyID? = nil, jwtSubject: String? = nil, ownerID: String? = nil, ownerType: OwnerType? = nil,
        clientIP: ClientIP? = nil, country: String? = nil, city: String? = nil, method: String, path: String, query: String = "",
        status: Int, requestBytes: Int64 = 0, responseBytes: Int64 = 0, userAgent: String? = nil, headers: [HeaderField] = [],
        cacheStatus: CacheStatus = .none, decision: RequestDecision, rules: [RuleEvaluation] = [], errorMessage: String? = nil
    ) {
        self.requestID = requestID
        self.startTime = startTime
        self.totalMicros = totalMicros
        self.backendMicros = backendMicros
        self.gatewayID = gatewayID
        self.routeID = routeID
        self.apiVersionID = apiVersionID
        self.backendServiceID = backendServiceID
        self.retries = retries
        self.apiKeyID = apiKeyID
        self.jwtSubject = jwtSubject
        self.ownerID = ownerID
        self.ownerType = ownerType
        self.clientIP = clientIP
        self.country = country
        self.city = city
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.userAgent = userAgent
        self.headers = headers
        self.cacheStatus = cacheStatus
        self.decision = decision
        self.rules = rules
        self.errorMessage = errorMessage
    }
}

/// A request header kept in the outcome.
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A client address: 4 bytes (IPv4) or 16 (IPv6), in network order.
public struct ClientIP: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// `nil` unless `bytes` has 4 or 16 elements.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

/// Whether the cache answered (the spec's `cache_status`, plus `stale` and `none`).
public enum CacheStatus: UInt8, Sendable, CaseIterable {
    case none = 0, hit, miss, bypass, expired, stale

    public var name: String {
        switch self {
        case .none: "none"
        case .hit: "hit"
        case .miss: "miss"
        case .bypass: "bypass"
        case .expired: "expired"
        case .stale: "stale"
        }
    }

    /// The spec's `X-Cache` value (`HIT`, `MISS`, …).
    public var headerValue: String {
        switch self {
        case .none: "NONE"
        case .hit: "HIT"
        case .miss: "MISS"
        case .bypass: "BYPASS"
        case .expired: "EXPIRED"
        case .stale: "STALE"
        }
    }
}

/// Why the request ended as it did.
public enum RequestDecision: UInt8, Sendable, CaseIterable {
    case proxied = 0, noRoute, methodNotAllowed, unauthenticated, forbidden, ipDenied, rateLimited, quotaExceeded
    case shadowWouldLimit, circuitOpen, noHealthyInstance, upstreamError, upstreamTimeout, bodyTooLarge, badRequest
    case servedFromCache, gone
    /// A CORS preflight the gateway answered itself.
    case preflight

    /// Whether the request was admitted past authentication and limits, so it uses the caller's
    /// quota — whatever the upstream then answered.
    public var countsAgainstQuota: Bool {
        switch self {
        case .proxied, .shadowWouldLimit, .circuitOpen, .noHealthyInstance, .upstreamError, .upstreamTimeout, .servedFromCache, .gone: true
        case .noRoute, .methodNotAllowed, .unauthenticated, .forbidden, .ipDenied, .rateLimited, .quotaExceeded, .bodyTooLarge, .badRequest,
             .preflight: false
        }
    }

    /// snake_case name, as in exports and analytics.
    public var name: String {
        String(describing: self).reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}

/// One limit checked for a request.
public struct RuleEvaluation: Sendable, Hashable {
    /// The policy or route rule id.
    public let ruleID: String
    /// How the outcome codec stores `ruleID` (derived from it).
    public let storedForm: CompactRuleID
    /// Window length in seconds.
    public var windowSeconds: Int
    /// The counter after this request.
    public var counter: Int
    public var limit: Int
    /// `false` when the rule is in shadow mode.
    public var enforced: Bool

    /// `storedForm` is `ruleID`'s (``CompactRuleID/init(_:)``): a gateway passes the one its
    /// rule worked out when it was made, so that recording an evaluation parses nothing.
    public init(ruleID: String, storedForm: CompactRuleID? = nil, windowSeconds: Int, counter: Int, limit: Int, enforced: Bool) {
        self.ruleID = ruleID
        self.storedForm = storedForm ?? CompactRuleID(ruleID)
        self.windowSeconds = windowSeconds
        self.counter = counter
        self.limit = limit
        self.enforced = enforced
    }
}
