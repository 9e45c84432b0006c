import GatehouseCore

/// What access control concluded for one request.
enum AccessDecision: Equatable {
    /// Let it through; `key` is the authenticated API key, if any.
    case allow(key: APIKey?)
    /// Let it through: a verified JWT says who the caller is.
    case allowToken(JWTIdentity)
    /// Refuse it.
    case deny(AccessDenial)
}

/// Why a request was refused: a stable code (also recorded in the outcome, with the key prefix),
/// the status, and the `WWW-Authenticate` challenge parameters.
struct AccessDenial: Equatable {
    enum Reason: String {
        case authenticationRequired = "authentication_required"
        case invalidAPIKey = "invalid_api_key"
        case apiKeyInactive = "api_key_inactive"
        case apiKeyRevoked = "api_key_revoked"
        case apiKeyExpired = "api_key_expired"
        case apiKeyRotated = "api_key_rotated"
        case invalidToken = "invalid_token"
        case originNotAllowed = "origin_not_allowed"
        case insufficientScope = "insufficient_scope"
        case roleNotAllowed = "role_not_allowed"
    }

    let reason: Reason
    let message: String
    /// The key's prefix, when one was identified (for the outcome, never the secret).
    var keyPrefix: String?
    /// Scopes the route needs (for `insufficient_scope`).
    var requiredScopes: [String] = []

    /// 401 for missing or bad credentials, 403 for a valid credential without the rights.
    var isAuthenticationFailure: Bool {
        switch reason {
        case .originNotAllowed, .insufficientScope, .roleNotAllowed: false
        default: true
        }
    }
}
