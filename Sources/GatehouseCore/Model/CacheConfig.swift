/// Response caching for a route (`cache_config`).
public struct CacheConfig: Codable, Sendable, Hashable {
    public var enabled: Bool
    /// Seconds a response stays fresh.
    public var ttl: Int
    /// Request headers or identities (`api_key`, `user_id`) that split the cache.
    public var varyBy: [String]
    /// Methods whose success invalidates the cached GETs of the same resource.
    public var invalidateOn: [RouteMethod]
    /// Optional explicit key pattern, e.g. `weddings:{weddingId}`.
    public var cacheKeyPattern: String?
    /// Tags attached to entries of this route, for invalidation by tag.
    public var tags: [String]

    enum CodingKeys: String, CodingKey {
        case enabled, ttl, tags
        case varyBy = "vary_by"
        case invalidateOn = "invalidate_on"
        case cacheKeyPattern = "cache_key_pattern"
    }

    public init(enabled: Bool = false, ttl: Int = 300, varyBy: [String] = [], invalidateOn: [RouteMethod] = [], cacheKeyPattern: String? = nil, tags: [String] = []) {
        self.enabled = enabled
        self.ttl = ttl
        self.varyBy = varyBy
        self.invalidateOn = invalidateOn
        self.cacheKeyPattern = cacheKeyPattern
        self.tags = tags
    }

    public init(from decoder: any Decoder) throws {
        let defaults = CacheConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decode(.enabled, default: defaults.enabled)
        ttl = try container.decode(.ttl, default: defaults.ttl)
        varyBy = try container.decode(.varyBy, default: [])
        invalidateOn = try container.decode(.invalidateOn, default: [])
        cacheKeyPattern = try container.decodeIfPresent(String.self, forKey: .cacheKeyPattern)
        tags = try container.decode(.tags, default: [])
    }
}
