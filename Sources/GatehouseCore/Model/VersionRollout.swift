/// A gradual rollout of an API version: requests that name no version go to it — instead of
/// the default version — for a stable `percentage` of consumers and for every consumer in a
/// segment. A consumer (API key, else JWT subject, else client address) always lands on the
/// same side, so one client never flips between versions.
public struct VersionRollout: Codable, Sendable, Hashable {
    /// Share of consumers (0…100), chosen by a stable hash of the consumer and the version.
    public var percentage: Int
    /// Keys of these rate-limit tiers are in the rollout.
    public var tiers: [RateLimitTier]
    /// Keys whose `owner_type` is one of these are in the rollout.
    public var ownerTypes: [OwnerType]
    /// JWTs carrying all of these claim values are in the rollout.
    public var claims: [String: String]

    enum CodingKeys: String, CodingKey {
        case percentage, tiers, claims
        case ownerTypes = "owner_types"
    }

    public init(percentage: Int = 0, tiers: [RateLimitTier] = [], ownerTypes: [OwnerType] = [], claims: [String: String] = [:]) {
        self.percentage = percentage
        self.tiers = tiers
        self.ownerTypes = ownerTypes
        self.claims = claims
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        percentage = try container.decode(.percentage, default: 0)
        tiers = try container.decode(.tiers, default: [])
        ownerTypes = try container.decode(.ownerTypes, default: [])
        claims = try container.decode(.claims, default: [:])
    }

    /// Whether a consumer is in the rollout of version `versionID`: in a segment, or among the
    /// `percentage` its stable bucket (0…99) falls under.
    public func includes(_ consumer: RolloutConsumer, versionID: APIVersionID) -> Bool {
        if let tier = consumer.tier, tiers.contains(tier) { return true }
        if let ownerType = consumer.ownerType, ownerTypes.contains(ownerType) { return true }
        if !claims.isEmpty, claims.allSatisfy({ consumer.claims[$0.key] == $0.value }) { return true }
        return consumer.bucket(for: versionID) < percentage
    }
}

/// Who a request comes from, as far as a rollout cares.
public struct RolloutConsumer: Sendable, Equatable {
    /// A stable identity: `key:<id>`, `sub:<subject>` or `ip:<address>`.
    public var identity: String
    public var tier: RateLimitTier?
    public var ownerType: OwnerType?
    public var claims: [String: String]

    public init(identity: String, tier: RateLimitTier? = nil, ownerType: OwnerType? = nil, claims: [String: String] = [:]) {
        self.identity = identity
        self.tier = tier
        self.ownerType = ownerType
        self.claims = claims
    }

    /// 0…99, the same for this consumer and version in every process (FNV-1a, not Swift's seeded hash).
    public func bucket(for versionID: APIVersionID) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(identity)|\(versionID)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int(hash % 100)
    }
}
