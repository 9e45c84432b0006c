/// How a gateway accepts JWTs (`jwt_config`): a list of trusted issuers. A route whose
/// `auth_requirements` say `required` accepts a valid token from any of them as well as an API
/// key; its `roles` and `scopes` are read from the token's claims.
public struct JWTConfig: Codable, Sendable, Hashable {
    public var providers: [JWTProvider]

    public init(providers: [JWTProvider] = []) { self.providers = providers }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        providers = try container.decode(.providers, default: [])
    }

    enum CodingKeys: String, CodingKey { case providers }
}

/// One trusted token issuer and its verification keys.
public struct JWTProvider: Codable, Sendable, Hashable {
    /// The `iss` tokens must carry.
    public var issuer: String
    /// Tokens must name one of these in `aud` (empty: `aud` is not checked).
    public var audiences: [String]
    /// Public keys as a JWK Set (RSA, EC, OKP; RS*/PS*/ES*/EdDSA).
    public var jwks: JSONValue?
    /// Where the issuer publishes its JWK Set; fetched in the background, refreshed every ten
    /// minutes and when a token names an unknown `kid`.
    public var jwksURL: String?
    /// HMAC keys (HS256/384/512), each read from an environment variable so no secret enters
    /// the configuration log.
    public var hmacKeys: [JWTHMACKey]
    /// Allowed difference between clocks for `exp`, `nbf` and `iat`, in seconds.
    public var clockSkewSeconds: Int
    /// Claim holding the caller's roles (a string or an array of strings).
    public var rolesClaim: String
    /// Claim holding the caller's scopes (space-separated string, or an array).
    public var scopesClaim: String
    /// Claims forwarded to the upstream, claim → request header.
    public var forwardClaims: [String: String]

    enum CodingKeys: String, CodingKey {
        case issuer, audiences, jwks
        case jwksURL = "jwks_url"
        case hmacKeys = "hmac_keys"
        case clockSkewSeconds = "clock_skew_seconds"
        case rolesClaim = "roles_claim"
        case scopesClaim = "scopes_claim"
        case forwardClaims = "forward_claims"
    }

    public init(
        issuer: String, audiences: [String] = [], jwks: JSONValue? = nil, jwksURL: String? = nil, hmacKeys: [JWTHMACKey] = [], clockSkewSeconds: Int = 60,
        rolesClaim: String = "roles", scopesClaim: String = "scope", forwardClaims: [String: String] = [:]
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.jwks = jwks
        self.jwksURL = jwksURL
        self.hmacKeys = hmacKeys
        self.clockSkewSeconds = clockSkewSeconds
        self.rolesClaim = rolesClaim
        self.scopesClaim = scopesClaim
        self.forwardClaims = forwardClaims
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(String.self, forKey: .issuer)
        audiences = try container.decode(.audiences, default: [])
        jwks = try container.decodeIfPresent(JSONValue.self, forKey: .jwks)
        jwksURL = try container.decodeIfPresent(String.self, forKey: .jwksURL)
        hmacKeys = try container.decode(.hmacKeys, default: [])
        clockSkewSeconds = try container.decode(.clockSkewSeconds, default: 60)
        rolesClaim = try container.decode(.rolesClaim, default: "roles")
        scopesClaim = try container.decode(.scopesClaim, default: "scope")
        forwardClaims = try container.decode(.forwardClaims, default: [:])
    }
}

/// An HMAC verification key whose secret is in an environment variable of the gateway process.
public struct JWTHMACKey: Codable, Sendable, Hashable {
    /// `kid` tokens signed with it carry (optional when it is the provider's only key).
    public var kid: String?
    /// `HS256`, `HS384` or `HS512`.
    public var algorithm: String
    /// The environment variable holding the secret.
    public var secretEnv: String

    enum CodingKeys: String, CodingKey {
        case kid, algorithm
        case secretEnv = "secret_env"
    }

    public init(kid: String? = nil, algorithm: String, secretEnv: String) {
        self.kid = kid
        self.algorithm = algorithm
        self.secretEnv = secretEnv
    }
}
