import JWTKit

/// The claims of an admin-API JWT: `sub` (who), `exp` (required), and `role` — `system_admin`
/// or `api_admin` for administrators; any other role makes the subject an API consumer that
/// sees only what it owns.
struct AdminClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var role: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
