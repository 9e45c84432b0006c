import GatehouseCore

/// Decides whether a request may use a route, from the route's `auth_requirements`, the API
/// keys in the snapshot and what the request presents. Pure: no I/O, the time is passed in.
///
/// - An API key is looked up by the SHA-256 of what was presented (current hash, or the previous
///   one during a rotation's grace period); it must be active, not revoked, not expired, and —
///   when it lists `allowed_origins` — the request's `Origin` must be one of them.
/// - `scopes`: the key must hold every scope the route lists. `roles`: the key must have any one
///   of them; a key's roles are its `owner_type` plus the strings in `metadata.roles`.
/// - On a route with `required: false` a credential is optional: a valid key identifies the
///   caller; anything else passes anonymously (the upstream may use `Authorization` itself).
enum RouteAccessPolicy {
    static func decide(
        requirements: AuthRequirements, credential: PresentedCredential?, origin: String?, keysByHash: [String: APIKey], now: Timestamp
    ) -> AccessDecision {
        guard let credential else {
            return requirements.required
                ? .deny(AccessDenial(reason: .authenticationRequired, message: "this route needs an API key (X-API-Key or Authorization: Bearer)"))
                : .allow(key: nil)
        }
        let hash = APIKeyHash.hash(credential.secret)
        guard let key = keysByHash[hash] else {
            return requirements.required ? .deny(AccessDenial(reason: .invalidAPIKey, message: "the API key is not valid")) : .allow(key: nil)
        }
        if let denial = validity(of: key, presentedHash: hash, origin: origin, now: now) {
            return requirements.required ? .deny(denial) : .allow(key: nil)
        }
        if let missing = requirements.scopes.first(where: { !key.scopes.contains($0) }) {
            return .deny(AccessDenial(
                reason: .insufficientScope, message: "the API key lacks the scope '\(missing)'", keyPrefix: key.apiKeyPrefix,
                requiredScopes: requirements.scopes
            ))
        }
        if !requirements.roles.isEmpty, Set(requirements.roles).isDisjoint(with: roles(of: key)) {
            return .deny(AccessDenial(
                reason: .roleNotAllowed, message: "this route is for \(requirements.roles.joined(separator: ", "))", keyPrefix: key.apiKeyPrefix
            ))
        }
        return .allow(key: key)
    }

    /// The same decision for a caller that presented a JWT: a token that does not verify is
    /// refused on routes that need credentials (and ignored on others); a valid one must carry
    /// the route's scopes and one of its roles in its claims.
    static func decide(requirements: AuthRequirements, token: Result<JWTIdentity, JWTRejection>) -> AccessDecision {
        switch token {
        case .failure(let rejection):
            return requirements.required ? .deny(AccessDenial(reason: .invalidToken, message: rejection.message)) : .allow(key: nil)
        case .success(let identity):
            if let missing = requirements.scopes.first(where: { !identity.scopes.contains($0) }) {
                return .deny(AccessDenial(
                    reason: .insufficientScope, message: "the token lacks the scope '\(missing)'", keyPrefix: "sub \(identity.subject)",
                    requiredScopes: requirements.scopes
                ))
            }
            if !requirements.roles.isEmpty, Set(requirements.roles).isDisjoint(with: identity.roles) {
                return .deny(AccessDenial(
                    reason: .roleNotAllowed, message: "this route is for \(requirements.roles.joined(separator: ", "))", keyPrefix: "sub \(identity.subject)"
                ))
            }
            return .allowToken(identity)
        }
    }

    /// A key's roles: its owner type and `metadata.roles`.
    static func roles(of key: APIKey) -> Set<String> {
        var roles: Set<String> = [key.ownerType.rawValue]
        if case .array(let listed)? = key.metadata["roles"] {
            for case .string(let role) in listed { roles.insert(role) }
        }
        return roles
    }

    private static func validity(of key: APIKey, presentedHash: String, origin: String?, now: Timestamp) -> AccessDenial? {
        let prefix = key.apiKeyPrefix
        if key.revokedAt != nil { return AccessDenial(reason: .apiKeyRevoked, message: "the API key was revoked", keyPrefix: prefix) }
        if !key.isActive { return AccessDenial(reason: .apiKeyInactive, message: "the API key is not active", keyPrefix: prefix) }
        if let expiry = key.expiresAt, expiry <= now { return AccessDenial(reason: .apiKeyExpired, message: "the API key expired", keyPrefix: prefix) }
        if presentedHash != key.apiKeyHash, !key.accepts(hash: presentedHash, at: now) {
            return AccessDenial(reason: .apiKeyRotated, message: "the API key was rotated and its grace period is over", keyPrefix: prefix)
        }
        if !key.allowedOrigins.isEmpty, !key.allowedOrigins.contains("*") {
            guard let origin, key.allowedOrigins.contains(where: { $0.caseInsensitiveCompare(origin) == .orderedSame }) else {
                return AccessDenial(reason: .originNotAllowed, message: "the API key may not be used from this origin", keyPrefix: prefix)
            }
        }
        return nil
    }
}
