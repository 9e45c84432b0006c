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

    static func apply(_ key: APIKey?, replacing field: PresentedCredential.Field?, to headers: inout HTTPHeaders) {
        headers.remove(allNamed: names)
        guard let key else { return }
        applyKey(key, replacing: field, to: &headers)
    }

    static func apply(_ token: JWTIdentity, to headers: inout HTTPHeaders) {
        headers.remove(allNamed: names + token.forwardedHeaders.map(\.0))
        headers.add(name: "X-Consumer-ID", value: token.subject)
        if !token.scopes.isEmpty { headers.add(name: "X-Consumer-Scopes", value: token.scopes.sorted().joined(separator: " ")) }
        for (header, value) in token.forwardedHeaders { headers.add(name: header, value: value) }
    }

    private static func applyKey(_ key: APIKey, replacing field: PresentedCredential.Field?, to headers: inout HTTPHeaders) {
        switch field {
        case .apiKeyHeader: headers.remove(name: "x-api-key")
        case .authorizationBearer: headers.remove(name: "authorization")
        case nil: break
        }
        if let owner = key.ownerID { headers.add(name: "X-Consumer-ID", value: owner) }
        headers.add(name: "X-Consumer-Key-ID", value: key.id.description)
        if !key.scopes.isEmpty { headers.add(name: "X-Consumer-Scopes", value: key.scopes.joined(separator: " ")) }
    }
}
