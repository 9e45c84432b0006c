import Foundation
import GatehouseCore

/// Verifies a compact JWS token against a gateway's keys, synchronously (no I/O): the header's
/// `alg` must be the key's own — so `alg: none` and algorithm confusion (an HS256 token "signed"
/// with an RSA public key) find no key — then the signature, then the claims.
enum JWTVerifier {
    /// Three base64url segments, the first a JSON object (`eyJ`).
    static func looksLikeJWT(_ token: String) -> Bool {
        token.hasPrefix("eyJ") && token.utf8.lazy.filter { $0 == UInt8(ascii: ".") }.count == 2
    }

    static func verify(_ token: String, keys: [JWTKeyRing.Key], now: Timestamp) -> Result<JWTIdentity, JWTRejection> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = base64URL(parts[0]), let payloadData = base64URL(parts[1]),
              let signature = base64URL(parts[2]),
              case .object(let header)? = try? JSONDecoder().decode(JSONValue.self, from: headerData),
              case .string(let alg)? = header["alg"] else {
            return .failure(JWTRejection("the token is malformed"))
        }
        guard alg != "none", !signature.isEmpty else { return .failure(JWTRejection("unsigned tokens are not accepted")) }
        let kid: String? = if case .string(let value)? = header["kid"] { value } else { nil }
        var candidates = keys.filter { $0.alg == alg && $0.kid == kid }
        if candidates.isEmpty, kid == nil { candidates = keys.filter { $0.alg == alg } }
        guard !candidates.isEmpty else { return .failure(JWTRejection("no trusted key for alg \(alg)\(kid.map { ", kid \($0)" } ?? "")", unknownKey: true)) }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard let key = candidates.first(where: { (try? $0.algorithm.verify(signature, signs: signingInput)) == true }) else {
            return .failure(JWTRejection("the token's signature is not valid"))
        }
        guard case .object(let claims)? = try? JSONDecoder().decode(JSONValue.self, from: payloadData) else {
            return .failure(JWTRejection("the token's claims are not a JSON object"))
        }
        return JWTClaimsCheck.identity(claims, provider: key.provider, now: now)
    }

    /// Decodes unpadded base64url; `nil` when it is not.
    static func base64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
