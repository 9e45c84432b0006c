/// Who a verified JWT says the caller is.
struct JWTIdentity: Sendable, Equatable {
    /// `sub`.
    let subject: String
    let issuer: String
    let roles: Set<String>
    let scopes: Set<String>
    /// Claims to forward to the upstream, as (header, value).
    let forwardedHeaders: [(String, String)]

    static func == (lhs: JWTIdentity, rhs: JWTIdentity) -> Bool {
        lhs.subject == rhs.subject && lhs.issuer == rhs.issuer && lhs.roles == rhs.roles && lhs.scopes == rhs.scopes
            && lhs.forwardedHeaders.map { "\($0.0)=\($0.1)" } == rhs.forwardedHeaders.map { "\($0.0)=\($0.1)" }
    }
}
