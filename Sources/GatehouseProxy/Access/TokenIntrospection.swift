import Foundation
import GatehouseCore
import NIOCore
import NIOSSL

/// RFC 7662 token introspection: posts `token=…` to the gateway's authorization server with the
/// gateway's client credentials (HTTP Basic) and reads `active`, `sub` (else `username`, else
/// `client_id`), `exp`, the scopes and roles claims.
enum TokenIntrospection {
    /// What the server said, and until when it may be reused (µs).
    struct Verdict: Sendable {
        let identity: Result<JWTIdentity, JWTRejection>
        let validUntil: Int64
    }

    static func introspect(
        _ token: String, with config: OAuthIntrospection, secret: String, now: Timestamp, tls: NIOSSLContext, on eventLoop: any EventLoop
    ) -> EventLoopFuture<Verdict> {
        let credentials = Data("\(formEncode(config.clientID)):\(formEncode(secret))".utf8).base64EncodedString()
        let form = "token=\(formEncode(token))&token_type_hint=access_token"
        return SideRequest.send(
            .POST, config.endpoint,
            headers: [("Authorization", "Basic \(credentials)"), ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(form.utf8), tls: tls, on: eventLoop, timeout: .seconds(5)
        ).flatMapThrowing { answer in
            guard answer.status == 200 else { throw SideRequest.Failure(description: "introspection answered HTTP \(answer.status)") }
            guard case .object(let claims) = try JSONDecoder().decode(JSONValue.self, from: Data(answer.body)) else {
                throw SideRequest.Failure(description: "introspection answered something other than a JSON object")
            }
            return verdict(claims, config: config, now: now)
        }
    }

    /// The verdict for an introspection answer (pure).
    static func verdict(_ claims: [String: JSONValue], config: OAuthIntrospection, now: Timestamp) -> Verdict {
        let cacheLimit = now.microseconds + Int64(config.cacheSeconds) * 1_000_000
        guard case .bool(true)? = claims["active"] else {
            return Verdict(identity: .failure(JWTRejection("the token is not active")), validUntil: min(cacheLimit, now.microseconds + 30_000_000))
        }
        var expiry = cacheLimit
        if case .number(let exp)? = claims["exp"] {
            expiry = min(expiry, Int64(exp * 1_000_000))
            guard expiry > now.microseconds else { return Verdict(identity: .failure(JWTRejection("the token expired")), validUntil: cacheLimit) }
        }
        let subject = ["sub", "username", "client_id"].lazy.compactMap { name -> String? in
            if case .string(let value)? = claims[name], !value.isEmpty { return value }
            return nil
        }.first
        guard let subject else { return Verdict(identity: .failure(JWTRejection("the token names no subject")), validUntil: expiry) }
        let issuer: String = if case .string(let value)? = claims["iss"] { value } else { config.endpoint }
        return Verdict(
            identity: .success(JWTIdentity(
                subject: subject, issuer: issuer, roles: Set(JWTClaimsCheck.strings(claims[config.rolesClaim])),
                scopes: Set(JWTClaimsCheck.strings(claims[config.scopesClaim]).flatMap { $0.split(separator: " ").map(String.init) }), forwardedHeaders: []
            )),
            validUntil: expiry
        )
    }

    /// `application/x-www-form-urlencoded` encoding of one value.
    private static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
