import Crypto
import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
import _CryptoExtras
@testable import GatehouseProxy

@Suite("JWT verification")
struct JWTVerifierTests {
    static let secret = "hs256-secret-for-the-verifier-tests"
    static let ecKey = P256.Signing.PrivateKey()
    static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let edKey = Curve25519.Signing.PrivateKey()
    static let now = Timestamp(microseconds: 1_800_000_000_000_000)
    static let seconds = 1_800_000_000

    static func provider() throws -> JWTProvider {
        let keys = [
            TestJWT.jwk(ecKey, kid: "ec-1"), TestJWT.jwk(rsaKey, kid: "rsa-1", alg: "RS256"), TestJWT.jwk(rsaKey, kid: "pss-1", alg: "PS256"),
            TestJWT.jwk(edKey, kid: "ed-1"),
        ]
        let jwks = try JSONDecoder().decode(JSONValue.self, from: JSONSerialization.data(withJSONObject: ["keys": keys]))
        return JWTProvider(
            issuer: "https://auth.wedsync.example", audiences: ["gatehouse"], jwks: jwks,
            hmacKeys: [JWTHMACKey(kid: "hs-1", algorithm: "HS256", secretEnv: "TEST_JWT_SECRET")],
            rolesClaim: "roles", scopesClaim: "scope", forwardClaims: ["email": "X-User-Email", "tenant": "X-Tenant"]
        )
    }

    static func keys() async throws -> [JWTKeyRing.Key] {
        var state = ConfigState()
        var gateway = Samples.gateway()
        gateway.jwtConfig = JWTConfig(providers: [try provider()])
        state.gateways[gateway.id] = gateway
        let ring = await JWTKeyRing.build(for: ConfigSnapshot(state: state), environment: ["TEST_JWT_SECRET": secret])
        #expect(ring.problems.isEmpty)
        return ring.keysByGateway[gateway.id] ?? []
    }

    static func claims(_ changes: [String: Any] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": "https://auth.wedsync.example", "aud": ["gatehouse", "other"], "sub": "planner-7", "exp": seconds + 600,
            "iat": seconds - 10, "roles": ["planner"], "scope": "read:weddings write:weddings", "email": "p7@wedsync.example",
        ]
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    static func rejection(_ result: Result<JWTIdentity, JWTRejection>) -> String? {
        if case .failure(let rejection) = result { return rejection.message }
        return nil
    }

    @Test("HS256, ES256, RS256, PS256 and EdDSA tokens verify; claims give subject, roles, scopes and forwarded headers")
    func valid() async throws {
        let keys = try await Self.keys()
        #expect(keys.map(\.alg).sorted() == ["ES256", "EdDSA", "HS256", "PS256", "RS256"])
        let hs = JWTVerifier.verify(TestJWT.hs256(Self.claims(), secret: Self.secret, kid: "hs-1"), keys: keys, now: Self.now)
        let identity = try hs.get()
        #expect(identity.subject == "planner-7")
        #expect(identity.roles == ["planner"] && identity.scopes == ["read:weddings", "write:weddings"])
        #expect(identity.forwardedHeaders.map { "\($0.0): \($0.1)" } == ["X-User-Email: p7@wedsync.example"])
        let es = JWTVerifier.verify(TestJWT.es256(Self.claims(), key: Self.ecKey, kid: "ec-1"), keys: keys, now: Self.now)
        #expect(try es.get().subject == "planner-7")
        #expect(try JWTVerifier.verify(TestJWT.rsa(Self.claims(), key: Self.rsaKey, kid: "rsa-1"), keys: keys, now: Self.now).get().subject == "planner-7")
        #expect(try JWTVerifier.verify(TestJWT.rsa(Self.claims(), key: Self.rsaKey, kid: "pss-1", pss: true), keys: keys, now: Self.now).get().subject == "planner-7")
        #expect(try JWTVerifier.verify(TestJWT.eddsa(Self.claims(), key: Self.edKey, kid: "ed-1"), keys: keys, now: Self.now).get().subject == "planner-7")
        // A PKCS #1 signature does not pass for the key registered as PS256, nor the reverse.
        #expect(Self.rejection(JWTVerifier.verify(TestJWT.rsa(Self.claims(), key: Self.rsaKey, kid: "pss-1"), keys: keys, now: Self.now)) != nil)
        #expect(JWTVerifier.looksLikeJWT(TestJWT.hs256(Self.claims(), secret: "x")))
        #expect(!JWTVerifier.looksLikeJWT("gh_an-api-key-with.two.dots"))
    }

    @Test("alg none, tampering, truncation, unknown keys and algorithm confusion are refused")
    func forgeries() async throws {
        let keys = try await Self.keys()
        func verify(_ token: String) -> String? { Self.rejection(JWTVerifier.verify(token, keys: keys, now: Self.now)) }
        #expect(verify(TestJWT.unsigned(Self.claims()))?.contains("unsigned") == true)
        let valid = TestJWT.hs256(Self.claims(), secret: Self.secret, kid: "hs-1")
        let parts = valid.split(separator: ".").map(String.init)
        let forgedClaims = TestJWT.hs256(Self.claims(["roles": ["admin"]]), secret: Self.secret, kid: "hs-1").split(separator: ".")[1]
        #expect(verify([parts[0], String(forgedClaims), parts[2]].joined(separator: "."))?.contains("signature") == true)
        #expect(verify(parts[0] + "." + parts[1]) != nil)
        #expect(verify(String(valid.dropLast(5))) != nil)
        #expect(verify(TestJWT.hs256(Self.claims(), secret: "someone-elses-secret", kid: "hs-1"))?.contains("signature") == true)
        #expect(verify(TestJWT.hs256(Self.claims(), secret: Self.secret, kid: "hs-9"))?.contains("no trusted key") == true)
        // Confusion: HS256 tokens naming the EC or RSA key, "signed" with the public key.
        let publicBytes = String(decoding: Self.ecKey.publicKey.rawRepresentation, as: UTF8.self)
        #expect(verify(TestJWT.hs256(Self.claims(), secret: publicBytes, kid: "ec-1"))?.contains("no trusted key") == true)
        #expect(verify(TestJWT.hs256(Self.claims(), secret: Self.rsaKey.publicKey.pemRepresentation, kid: "rsa-1"))?.contains("no trusted key") == true)
    }

    @Test("exp, nbf, iat with clock skew; iss and aud; sub required")
    func claims() async throws {
        let keys = try await Self.keys()
        func verify(_ changes: [String: Any]) -> String? {
            Self.rejection(JWTVerifier.verify(TestJWT.hs256(Self.claims(changes), secret: Self.secret, kid: "hs-1"), keys: keys, now: Self.now))
        }
        #expect(verify(["exp": Self.seconds - 61]) == "the token expired")
        #expect(verify(["exp": Self.seconds - 30]) == nil)
        #expect(verify(["nbf": Self.seconds + 120]) == "the token is not valid yet (nbf)")
        #expect(verify(["iat": Self.seconds + 120]) == "the token was issued in the future (iat)")
        #expect(verify(["iss": "https://evil.example"]) == "the token's issuer is not trusted")
        #expect(verify(["aud": "someone-else"]) == "the token is not for this audience")
        #expect(verify(["aud": "gatehouse"]) == nil)
        #expect(verify(["sub": ""]) == "the token has no sub")
    }

    @Test("route rules on a token: scopes all, roles any; a bad token only matters where auth is required")
    func policy() throws {
        let identity = JWTIdentity(subject: "s", issuer: "i", roles: ["planner"], scopes: ["read:weddings"], forwardedHeaders: [])
        #expect(RouteAccessPolicy.decide(requirements: AuthRequirements(required: true, roles: ["planner", "admin"], scopes: ["read:weddings"]), token: .success(identity)) == .allowToken(identity))
        let missing = RouteAccessPolicy.decide(requirements: AuthRequirements(required: true, scopes: ["write:weddings"]), token: .success(identity))
        #expect(RouteAccessPolicyTests.reason(missing) == .insufficientScope)
        #expect(RouteAccessPolicyTests.reason(RouteAccessPolicy.decide(requirements: AuthRequirements(required: true, roles: ["admin"]), token: .success(identity))) == .roleNotAllowed)
        #expect(RouteAccessPolicyTests.reason(RouteAccessPolicy.decide(requirements: AuthRequirements(required: true), token: .failure(JWTRejection("x")))) == .invalidToken)
        #expect(RouteAccessPolicy.decide(requirements: AuthRequirements(), token: .failure(JWTRejection("x"))) == .allow(key: nil))
    }
}
