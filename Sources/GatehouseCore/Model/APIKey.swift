/// An API key (`api_keys`). Only the hash is ever stored; the plaintext is shown once.
public struct APIKey: Codable, Sendable, Hashable, Identifiable {
    public var id: APIKeyID
    public var keyName: String
    /// Hex SHA-256 of the plaintext key (see ``APIKeyHash``).
    public var apiKeyHash: String
    /// The plaintext's first 8 characters, for recognising a key in lists and logs.
    public var apiKeyPrefix: String
    public var ownerID: String?
    public var ownerType: OwnerType
    public var scopes: [String]
    public var allowedOrigins: [String]
    public var rateLimitTier: RateLimitTier
    public var usageQuota: UsageQuota
    public var isActive: Bool
    public var expiresAt: Timestamp?
    /// After a rotation with a grace period: the previous hash and until when it still works.
    public var previousKeyHash: String?
    public var previousKeyValidUntil: Timestamp?
    public var rotatedAt: Timestamp?
    public var revokedAt: Timestamp?
    public var metadata: JSONValue
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, scopes, metadata
        case keyName = "key_name"
        case apiKeyHash = "api_key_hash"
        case apiKeyPrefix = "api_key_prefix"
        case ownerID = "owner_id"
        case ownerType = "owner_type"
        case allowedOrigins = "allowed_origins"
        case rateLimitTier = "rate_limit_tier"
        case usageQuota = "usage_quota"
        case isActive = "is_active"
        case expiresAt = "expires_at"
        case previousKeyHash = "previous_key_hash"
        case previousKeyValidUntil = "previous_key_valid_until"
        case rotatedAt = "rotated_at"
        case revokedAt = "revoked_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: APIKeyID = APIKeyID(), keyName: String, apiKeyHash: String, apiKeyPrefix: String, ownerID: String? = nil,
        ownerType: OwnerType = .user, scopes: [String] = [], allowedOrigins: [String] = [], rateLimitTier: RateLimitTier = .standard,
        usageQuota: UsageQuota = UsageQuota(), isActive: Bool = true, expiresAt: Timestamp? = nil, metadata: JSONValue = .emptyObject,
        createdAt: Timestamp = Timestamp(microseconds: 0), updatedAt: Timestamp = Timestamp(microseconds: 0)
    ) {
        self.id = id
        self.keyName = keyName
        self.apiKeyHash = apiKeyHash
        self.apiKeyPrefix = apiKeyPrefix
        self.ownerID = ownerID
        self.ownerType = ownerType
        self.scopes = scopes
        self.allowedOrigins = allowedOrigins
        self.rateLimitTier = rateLimitTier
        self.usageQuota = usageQuota
        self.isActive = isActive
        self.expiresAt = expiresAt
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
