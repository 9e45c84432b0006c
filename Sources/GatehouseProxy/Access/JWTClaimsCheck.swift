import GatehouseCore

/// The registered-claim checks of RFC 7519 for one provider (pure): `exp` required and in the
/// future, `nbf` and `iat` not in the future (each within the clock skew), `iss` the
/// provider's, `aud` one of its audiences when it names any, `sub` present. Reads roles and
/// scopes from the provider's claims and the claims to forward.
enum JWTClaimsCheck {
    static func identity(_ claims: [String: JSONValue], provider: JWTProvider, now: Timestamp) -> Result<JWTIdentity, JWTRejection> {
        let seconds = Double(now.microseconds) / 1_000_000
        let skew = Double(provider.clockSkewSeconds)
        guard case .number(let expiry)? = claims["exp"] else { return .failure(JWTRejection("the token has no exp")) }
        guard seconds < expiry + skew else { return .failure(JWTRejection("the token expired")) }
        if case .number(let notBefore)? = claims["nbf"], seconds + skew < notBefore { return .failure(JWTRejection("the token is not valid yet (nbf)")) }
        if case .number(let issuedAt)? = claims["iat"], seconds + skew < issuedAt { return .failure(JWTRejection("the token was issued in the future (iat)")) }
        guard case .string(let issuer)? = claims["iss"], issuer == provider.issuer else { return .failure(JWTRejection("the token's issuer is not trusted")) }
        if !provider.audiences.isEmpty {
            guard !Set(strings(claims["aud"])).isDisjoint(with: provider.audiences) else { return .failure(JWTRejection("the token is not for this audience")) }
        }
        guard case .string(let subject)? = claims["sub"], !subject.isEmpty else { return .failure(JWTRejection("the token has no sub")) }
        let scopes = strings(claims[provider.scopesClaim]).flatMap { $0.split(separator: " ").map(String.init) }
        var forwarded: [(String, String)] = []
        for (claim, header) in provider.forwardClaims.sorted(by: { $0.key < $1.key }) {
            switch claims[claim] {
            case .string(let value)?: forwarded.append((header, value))
            case .number(let value)?: forwarded.append((header, value.rounded() == value ? String(Int64(value)) : String(value)))
            case .bool(let value)?: forwarded.append((header, String(value)))
            case .array?: forwarded.append((header, strings(claims[claim]).joined(separator: " ")))
            default: break
            }
        }
        return .success(JWTIdentity(
            subject: subject, issuer: issuer, roles: Set(strings(claims[provider.rolesClaim])), scopes: Set(scopes), forwardedHeaders: forwarded
        ))
    }

    /// A string claim as one value, an array claim's strings as several.
    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: [text]
        case .array(let items)?: items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }
}
