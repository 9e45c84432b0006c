import GatehouseCore
import NIOHTTP1
import Testing
@testable import GatehouseProxy

@Suite("route access policy")
struct RouteAccessPolicyTests {
    static let now = Timestamp(microseconds: 1_800_000_000_000_000)
    static let secret = "gh_test-secret-for-the-policy-0001"

    static func key(
        scopes: [String] = ["read:weddings"], ownerType: OwnerType = .vendor, metadata: JSONValue = .emptyObject, origins: [String] = [],
        configure: (inout APIKey) -> Void = { _ in }
    ) -> (APIKey, [String: APIKey]) {
        var key = APIKey(
            keyName: "k", apiKeyHash: APIKeyHash.hash(secret), apiKeyPrefix: APIKeyHash.prefix(of: secret), ownerID: "owner-1", ownerType: ownerType,
            scopes: scopes, allowedOrigins: origins, metadata: metadata
        )
        configure(&key)
        var byHash = [key.apiKeyHash: key]
        if let previous = key.previousKeyHash { byHash[previous] = key }
        return (key, byHash)
    }

    static func decide(
        _ requirements: AuthRequirements, secret: String? = Self.secret, origin: String? = nil, keys: [String: APIKey]
    ) -> AccessDecision {
        RouteAccessPolicy.decide(
            requirements: requirements, credential: secret.map { PresentedCredential(secret: $0, field: .apiKeyHeader) }, origin: origin,
            keysByHash: keys, now: now
        )
    }

    static func reason(_ decision: AccessDecision) -> AccessDenial.Reason? {
        if case .deny(let denial) = decision { return denial.reason }
        return nil
    }

    @Test("credentials come from X-API-Key first, then a Bearer token")
    func credentialFields() {
        #expect(PresentedCredential.find(in: ReceivedFields([("X-API-Key", " k1 "), ("Authorization", "Bearer k2")])) == PresentedCredential(secret: "k1", field: .apiKeyHeader))
        #expect(PresentedCredential.find(in: ReceivedFields([("Authorization", "bearer  k2")])) == PresentedCredential(secret: "k2", field: .authorizationBearer))
        #expect(PresentedCredential.find(in: ReceivedFields([("Authorization", "Basic dXNlcjpwYXNz")])) == nil)
        #expect(PresentedCredential.find(in: ReceivedFields([("Authorization", "Bearer ")])) == nil)
    }

    @Test("required routes need a valid key; optional routes let anything through, identifying valid keys")
    func requiredAndOptional() {
        let (key, keys) = Self.key()
        let required = AuthRequirements(required: true)
        #expect(Self.decide(required, keys: keys) == .allow(key: key))
        #expect(Self.reason(Self.decide(required, secret: nil, keys: keys)) == .authenticationRequired)
        #expect(Self.reason(Self.decide(required, secret: "gh_wrong", keys: keys)) == .invalidAPIKey)
        let optional = AuthRequirements()
        #expect(Self.decide(optional, keys: keys) == .allow(key: key))
        #expect(Self.decide(optional, secret: nil, keys: keys) == .allow(key: nil))
        #expect(Self.decide(optional, secret: "gh_wrong", keys: keys) == .allow(key: nil))
    }

    @Test("inactive, revoked, expired and rotated-out keys are refused with their own reasons")
    func keyStates() {
        let required = AuthRequirements(required: true)
        #expect(Self.reason(Self.decide(required, keys: Self.key { $0.isActive = false }.1)) == .apiKeyInactive)
        #expect(Self.reason(Self.decide(required, keys: Self.key { $0.revokedAt = Self.now; $0.isActive = false }.1)) == .apiKeyRevoked)
        #expect(Self.reason(Self.decide(required, keys: Self.key { $0.expiresAt = Self.now }.1)) == .apiKeyExpired)
        #expect(Self.decide(required, keys: Self.key { $0.expiresAt = Self.now.adding(seconds: 1) }.1) != .deny(AccessDenial(reason: .apiKeyExpired, message: "")))
        let rotated = { (until: Timestamp) in
            Self.key { key in
                key.previousKeyHash = key.apiKeyHash
                key.previousKeyValidUntil = until
                key.apiKeyHash = APIKeyHash.hash("gh_the-new-secret-0002")
            }.1
        }
        if case .allow(let key?) = Self.decide(required, keys: rotated(Self.now.adding(seconds: 60))) {
            #expect(key.previousKeyHash == APIKeyHash.hash(Self.secret))
        } else {
            Issue.record("the old key must work during the grace period")
        }
        #expect(Self.reason(Self.decide(required, keys: rotated(Self.now))) == .apiKeyRotated)
    }

    @Test("scopes: all required; roles: any one, from owner type or metadata.roles; origins from allowed_origins")
    func rights() {
        let (_, keys) = Self.key(scopes: ["read:weddings", "write:weddings"], ownerType: .vendor, metadata: ["roles": ["planner"]])
        #expect(Self.decide(AuthRequirements(required: true, scopes: ["read:weddings", "write:weddings"]), keys: keys) != .allow(key: nil))
        let missing = Self.decide(AuthRequirements(required: true, scopes: ["read:weddings", "read:rsvps"]), keys: keys)
        #expect(Self.reason(missing) == .insufficientScope)
        if case .deny(let denial) = missing {
            #expect(denial.requiredScopes == ["read:weddings", "read:rsvps"])
            #expect(!denial.isAuthenticationFailure)
            #expect(denial.keyPrefix == APIKeyHash.prefix(of: Self.secret))
        }
        #expect(Self.reason(Self.decide(AuthRequirements(required: true, roles: ["planner", "admin"]), keys: keys)) == nil)
        #expect(Self.reason(Self.decide(AuthRequirements(required: true, roles: ["vendor"]), keys: keys)) == nil)
        #expect(Self.reason(Self.decide(AuthRequirements(required: true, roles: ["admin"]), keys: keys)) == .roleNotAllowed)

        let (_, bound) = Self.key(origins: ["https://app.wedsync.example"])
        let required = AuthRequirements(required: true)
        #expect(Self.reason(Self.decide(required, origin: "https://app.wedsync.example", keys: bound)) == nil)
        #expect(Self.reason(Self.decide(required, origin: "https://evil.example", keys: bound)) == .originNotAllowed)
        #expect(Self.reason(Self.decide(required, origin: nil, keys: bound)) == .originNotAllowed)
    }

    @Test("the upstream gets the identity, never the key, and clients cannot forge the identity fields")
    func consumerHeaders() {
        let (key, _) = Self.key(scopes: ["read:weddings", "read:rsvps"])
        var rewrite = FieldRewrite()
        ConsumerHeaders.rewrite(OutOfLine(key), replacing: .apiKeyHeader, into: &rewrite)
        let headers = rewrite.applied(to: ReceivedFields([("X-API-Key", Self.secret), ("Authorization", "Bearer upstream-token"), ("X-Consumer-ID", "forged")]))
        #expect(!headers.contains(name: "x-api-key"))
        #expect(headers.first(name: "authorization") == "Bearer upstream-token")
        #expect(headers[canonicalForm: "x-consumer-id"] == ["owner-1"])
        #expect(headers.first(name: "x-consumer-scopes") == "read:weddings read:rsvps")
        var anonymousRewrite = FieldRewrite()
        ConsumerHeaders.rewrite(nil, replacing: nil, into: &anonymousRewrite)
        let anonymous = anonymousRewrite.applied(to: ReceivedFields([("X-Consumer-ID", "forged"), ("X-Consumer-Scopes", "admin")]))
        #expect(!anonymous.contains(name: "x-consumer-id") && !anonymous.contains(name: "x-consumer-scopes"))
    }
}
