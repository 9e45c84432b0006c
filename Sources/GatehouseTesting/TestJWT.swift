import Crypto
import Foundation
import _CryptoExtras

/// JWT minting for tests, written from RFC 7515/7519 with swift-crypto rather than with the
/// library under test: HS256 and ES256 signatures, `alg: none`, and the JWK of an EC key.
public enum TestJWT {
    /// A token signed with HMAC-SHA256.
    public static func hs256(_ claims: [String: Any], secret: String, kid: String? = nil) -> String {
        let input = segment(header("HS256", kid: kid)) + "." + segment(claims)
        let signature = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + base64URL(Data(signature))
    }

    /// A token signed with ECDSA P-256 (the JWS raw r‖s form).
    public static func es256(_ claims: [String: Any], key: P256.Signing.PrivateKey, kid: String) -> String {
        let input = segment(header("ES256", kid: kid)) + "." + segment(claims)
        let signature = try! key.signature(for: Data(input.utf8))
        return input + "." + base64URL(signature.rawRepresentation)
    }

    /// A token signed with RSA: `RS256` (PKCS #1 v1.5) or `PS256` (PSS), SHA-256.
    public static func rsa(_ claims: [String: Any], key: _RSA.Signing.PrivateKey, kid: String, pss: Bool = false) -> String {
        let input = segment(header(pss ? "PS256" : "RS256", kid: kid)) + "." + segment(claims)
        let signature = try! key.signature(for: Data(input.utf8), padding: pss ? .PSS : .insecurePKCS1v1_5)
        return input + "." + base64URL(signature.rawRepresentation)
    }

    /// A token signed with Ed25519 (`EdDSA`).
    public static func eddsa(_ claims: [String: Any], key: Curve25519.Signing.PrivateKey, kid: String) -> String {
        let input = segment(header("EdDSA", kid: kid)) + "." + segment(claims)
        return input + "." + base64URL(try! key.signature(for: Data(input.utf8)))
    }

    /// The public JWK of an RSA key, for `alg` (`RS256` or `PS256`).
    public static func jwk(_ key: _RSA.Signing.PrivateKey, kid: String, alg: String) -> [String: Any] {
        let primitives = try! key.publicKey.getKeyPrimitives()
        return ["kty": "RSA", "alg": alg, "kid": kid, "use": "sig", "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent)]
    }

    /// The public JWK of an Ed25519 key.
    public static func jwk(_ key: Curve25519.Signing.PrivateKey, kid: String) -> [String: Any] {
        ["kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": kid, "use": "sig", "x": base64URL(key.publicKey.rawRepresentation)]
    }

    /// A token with `alg: none` and no signature.
    public static func unsigned(_ claims: [String: Any]) -> String {
        segment(["alg": "none", "typ": "JWT"]) + "." + segment(claims) + "."
    }

    /// The public JWK of `key`, as a JSON object.
    public static func jwk(_ key: P256.Signing.PrivateKey, kid: String) -> [String: Any] {
        let raw = key.publicKey.rawRepresentation
        return ["kty": "EC", "crv": "P-256", "alg": "ES256", "kid": kid, "use": "sig", "x": base64URL(raw.prefix(32)), "y": base64URL(raw.suffix(32))]
    }

    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func header(_ alg: String, kid: String?) -> [String: Any] {
        var header: [String: Any] = ["alg": alg, "typ": "JWT"]
        if let kid { header["kid"] = kid }
        return header
    }

    private static func segment(_ object: [String: Any]) -> String {
        base64URL(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
