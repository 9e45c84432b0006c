/// A published API version of a gateway (`api_versions`).
public struct APIVersion: Codable, Sendable, Hashable, Identifiable {
    public var id: APIVersionID
    public var gatewayID: GatewayID
    /// `v1`, `v2`, …
    public var versionName: String
    /// Semantic version, `1.0.0`.
    public var versionNumber: String
    public var isDefault: Bool
    public var isDeprecated: Bool
    public var deprecationDate: Timestamp?
    public var sunsetDate: Timestamp?
    public var changelog: String?
    /// A URL or text shown to clients of a deprecated or sunset version.
    public var migrationGuide: String?
    public var supportedFeatures: [String]
    public var breakingChanges: [String]
    /// Requests naming no version go to this one for part of the consumers (see ``VersionRollout``).
    public var rollout: VersionRollout?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, changelog, rollout
        case gatewayID = "gateway_id"
        case versionName = "version_name"
        case versionNumber = "version_number"
        case isDefault = "is_default"
        case isDeprecated = "is_deprecated"
        case deprecationDate = "deprecation_date"
        case sunsetDate = "sunset_date"
        case migrationGuide = "migration_guide"
        case supportedFeatures = "supported_features"
        case breakingChanges = "breaking_changes"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: APIVersionID = APIVersionID(), gatewayID: GatewayID, versionName: String, versionNumber: String,
        isDefault: Bool = false, isDeprecated: Bool = false, deprecationDate: Timestamp? = nil, sunsetDate: Timestamp? = nil,
        changelog: String? = nil, migrationGuide: String? = nil, supportedFeatures: [String] = [], breakingChanges: [String] = [],
        rollout: VersionRollout? = nil, createdAt: Timestamp = Timestamp(microseconds: 0), updatedAt: Timestamp = Timestamp(microseconds: 0)
    ) {
        self.id = id
        self.gatewayID = gatewayID
        self.versionName = versionName
        self.versionNumber = versionNumber
        self.isDefault = isDefault
        self.isDeprecated = isDeprecated
        self.deprecationDate = deprecationDate
        self.sunsetDate = sunsetDate
        self.changelog = changelog
        self.migrationGuide = migrationGuide
        self.supportedFeatures = supportedFeatures
        self.breakingChanges = breakingChanges
        self.rollout = rollout
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
