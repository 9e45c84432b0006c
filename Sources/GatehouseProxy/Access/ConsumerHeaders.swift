import GatehouseCore
import NIOHTTP1

/// What the upstream learns about an authenticated caller: the key's secret is removed (the
/// gateway consumed it; upstreams never see keys) and the identity is added as
/// `X-Consumer-ID` (the owner), `X-Consumer-Key-ID` and `X-Consumer-Scopes`; for a JWT,
/// `X-Consumer-ID` is its subject, the token itself stays (upstreams may verify it again) and
/// the provider's `forward_claims` become headers. Client-sent fields of those names are always
/// removed first, so they cannot be forged.
enum ConsumerHeaders {
    static let names = ["x-consumer-id", "x-consumer-key-id", "x-consumer-scopes"]

    /// The identity of a caller that presented `key` (or none) through `field`. The key is
    /// read where the exchange holds it (``Exchange/keyStorage``): its parts, not a copy of it.
    static func rewrite(_ key: OutOfLine<APIKey>?, replacing field: PresentedCredential.Field?, into rewrite: inout FieldRewrite) {
        rewrite.remove(names)
        guard let key else { return }
        switch field {
        case .apiKeyHeader: rewrite.remove("x-api-key")
        case .authorizationBearer: rewrite.remove("authorization")
        case nil: break
        }
        if let owner = key.value.ownerID { rewrite.add("X-Consumer-ID", owner) }
        rewrite.add("X-Consumer-Key-ID", key.value.id.description)
        if !key.value.scopes.isEmpty { rewrite.add("X-Consumer-Scopes", key.value.scopes.joined(separator: " ")) }
    }

    /// The identity of a caller with a verified JWT.
    static func rewrite(_ token: JWTIdentity, into rewrite: inout FieldRewrite) {
        rewrite.remove(names + token.forwardedHeaders.map(\.0))
        rewrite.add("X-Consumer-ID", token.subject)
        if !token.scopes.isEmpty { rewrite.add("X-Consumer-Scopes", token.scopes.sorted().joined(separator: " ")) }
        for (header, value) in token.forwardedHeaders { rewrite.add(header, value) }
    }
}
