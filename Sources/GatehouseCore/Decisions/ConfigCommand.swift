/// A request to change the configuration. Entity commands carry the complete desired entity;
/// ids are chosen by the caller, times come from the ``CommandContext``.
public enum ConfigCommand: Sendable, Hashable {
    case createGateway(Gateway)
    case updateGateway(Gateway)
    case removeGateway(GatewayID)

    case registerBackendService(BackendService)
    case updateBackendService(BackendService)
    case deregisterBackendService(BackendServiceID)

    case defineRoute(Route)
    case updateRoute(Route)
    case enableRoute(RouteID)
    case disableRoute(RouteID)
    case removeRoute(RouteID)

    case issueAPIKey(APIKey)
    case updateAPIKey(APIKey)
    /// Replaces the key's hash; the old one keeps working for `gracePeriodSeconds` (0: not at all).
    case rotateAPIKey(APIKeyID, newHash: String, newPrefix: String, gracePeriodSeconds: Int)
    case revokeAPIKey(APIKeyID)

    case defineRateLimitPolicy(RateLimitPolicy)
    case updateRateLimitPolicy(RateLimitPolicy)
    case removeRateLimitPolicy(RateLimitPolicyID)

    case publishAPIVersion(APIVersion)
    case updateAPIVersion(APIVersion)
    /// Marks a version deprecated as of the command's time, with an optional sunset date.
    case deprecateAPIVersion(APIVersionID, sunsetDate: Timestamp?)
    /// Ends a version as of the command's time.
    case sunsetAPIVersion(APIVersionID)
    case removeAPIVersion(APIVersionID)

    case publishAPIDocumentation(APIDocumentation)
    case removeAPIDocumentation(APIDocumentationID)
}

/// Who issues a command, when, and which revision of the target they last saw.
public struct CommandContext: Sendable, Hashable {
    /// The command's time; becomes `created_at`/`updated_at` and the events' time.
    public var time: Timestamp
    /// Who: `cli:root`, `admin:alice`, …
    public var actor: String
    /// When set, the target entity must still be at this revision (`If-Match`).
    public var expectedRevision: UInt64?

    public init(time: Timestamp, actor: String, expectedRevision: UInt64? = nil) {
        self.time = time
        self.actor = actor
        self.expectedRevision = expectedRevision
    }
}
