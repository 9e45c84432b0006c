/// A route's own limits (`rate_limit_config`); absent values fall back to the key's tier policy.
public struct RouteRateLimitConfig: Codable, Sendable, Hashable {
    public var requestsPerSecond: Int?
    public var requestsPerMinute: Int?
    public var burstLimit: Int?

    enum CodingKeys: String, CodingKey {
        case requestsPerSecond = "requests_per_second"
        case requestsPerMinute = "requests_per_minute"
        case burstLimit = "burst_limit"
    }

    public init(requestsPerSecond: Int? = nil, requestsPerMinute: Int? = nil, burstLimit: Int? = nil) {
        self.requestsPerSecond = requestsPerSecond
        self.requestsPerMinute = requestsPerMinute
        self.burstLimit = burstLimit
    }
}
