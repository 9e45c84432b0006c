import Foundation
import GatehouseCore
import JWTKit

/// Turns the credentials on an admin request into an ``AdminPrincipal``:
/// `Authorization: Bearer <bootstrap token>` → system admin; `Bearer <JWT>` signed with the
/// admin JWT secret (HS256) → its `role`; `Bearer <API key>` or `X-API-Key` → the key's owner
/// as an API consumer. No I/O: keys are found by hash in the current configuration.
public struct AdminAuthenticator: Sendable {
    private let bootstrap: BootstrapToken
    private let jwtKeys: JWTKeyCollection?
    private let configuration: @Sendable () -> ConfigState

    /// - Parameters:
    ///   - jwtSecret: HS256 secret for admin JWTs; `nil` disables JWT login.
    ///   - configuration: the current configuration (for API keys).
    public init(bootstrap: BootstrapToken, jwtSecret: String?, configuration: @escaping @Sendable () -> ConfigState) async {
        self.bootstrap = bootstrap
        self.configuration = configuration
        if let jwtSecret {
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: jwtSecret), digestAlgorithm: .sha256)
            jwtKeys = keys
        } else {
            jwtKeys = nil
        }
    }

    /// The caller, or why not: ``AdminError`` 401 `authentication_required` / `invalid_credentials`.
    func authenticate(authorization: String?, apiKey: String?, now: Timestamp) async throws -> AdminPrincipal {
        if let apiKey { return try consumer(forKey: apiKey, now: now) }
        guard let authorization else {
            throw Self.unauthorized("authentication_required", "send Authorization: Bearer <token> or X-API-Key")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Self.unauthorized("invalid_credentials", "only Bearer credentials are accepted")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        if bootstrap.matches(token) { return .admin(actor: "admin:bootstrap", role: .systemAdmin) }
        if token.split(separator: ".", omittingEmptySubsequences: false).count == 3 { return try await principal(forJWT: token) }
        return try consumer(forKey: token, now: now)
    }

    private func principal(forJWT token: String) async throws -> AdminPrincipal {
        guard let jwtKeys else { throw Self.unauthorized("invalid_credentials", "JWT login is not configured") }
        let claims: AdminClaims
        do {
            claims = try await jwtKeys.verify(token, as: AdminClaims.self)
        } catch {
            throw Self.unauthorized("invalid_token", "the token is invalid or expired")
        }
        let subject = claims.sub.value
        if let role = claims.role.flatMap(AdminRole.init(rawValue:)) { return .admin(actor: "jwt:\(subject)", role: role) }
        return .consumer(actor: "jwt:\(subject)", ownerID: subject)
    }

    private func consumer(forKey plaintext: String, now: Timestamp) throws -> AdminPrincipal {
        let hash = APIKeyHash.hash(plaintext)
        let state = configuration()
        guard let key = state.apiKeys.values.first(where: { $0.accepts(hash: hash, at: now) }) else {
            throw Self.unauthorized("invalid_credentials", "the credentials are not valid")
        }
        guard let owner = key.ownerID else {
            throw AdminError(.forbidden, "forbidden", "this API key has no owner_id, so it owns nothing to manage")
        }
        return .consumer(actor: "key:\(key.apiKeyPrefix)", ownerID: owner)
    }

    private static func unauthorized(_ code: String, _ message: String) -> AdminError {
        AdminError(.unauthorized, code, message, headers: [.wwwAuthenticate: #"Bearer realm="gatehouse-admin""#])
    }
}
