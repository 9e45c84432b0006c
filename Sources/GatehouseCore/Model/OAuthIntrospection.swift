/// Opaque OAuth 2.0 access tokens checked by the authorization server (RFC 7662 token
/// introspection, `oauth_introspection` on a gateway): the gateway posts the token with its own
/// client credentials and caches the answer until the token's `exp` (at most `cache_seconds`).
public struct OAuthIntrospection: Codable, Sendable, Hashable {
    /// The introspection endpoint.
    public var endpoint: String
    public var clientID: String
    /// The environment variable holding the client secret (no secret enters the log).
    public var clientSecretEnv: String
    /// Longest time an answer is reused, in seconds.
    public var cacheSeconds: Int
    public var rolesClaim: String
    public var scopesClaim: String

    enum CodingKeys: String, CodingKey {
        case endpoint
        case clientID = "client_id"
        case clientSecretEnv = "client_secret_env"
        case cacheSeconds = "cache_seconds"
        case rolesClaim = "roles_claim"
        case scopesClaim = "scopes_claim"
    }

    public init(
        endpoint: String, clientID: String, clientSecretEnv: String, cacheSeconds: Int = 300, rolesClaim: String = "roles", scopesClaim: String = "scope"
    ) {
        self.endpoint = endpoint
        self.clientID = clientID
        self.clientSecretEnv = clientSecretEnv
        self.cacheSeconds = cacheSeconds
        self.rolesClaim = rolesClaim
        self.scopesClaim = scopesClaim
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        endpoint = try container.decode(String.self, forKey: .endpoint)
        clientID = try container.decode(String.self, forKey: .clientID)
        clientSecretEnv = try container.decode(String.self, forKey: .clientSecretEnv)
        cacheSeconds = try container.decode(.cacheSeconds, default: 300)
        rolesClaim = try container.decode(.rolesClaim, default: "roles")
        scopesClaim = try container.decode(.scopesClaim, default: "scope")
    }
}
