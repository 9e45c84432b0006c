import Foundation
import GatehouseCore
import JWTKit

/// The verification keys of every gateway's trusted JWT issuers, ready for synchronous use on
/// the event loops: jwt-kit builds each key (JWK Sets from the configuration or fetched from
/// `jwks_url`, HMAC secrets from the environment) once, off the request path, whenever the
/// configuration or a fetched set changes.
struct JWTKeyRing: Sendable {
    /// One usable key: the provider it belongs to, its `kid`, the only `alg` it verifies, and
    /// jwt-kit's algorithm for it.
    struct Key: Sendable {
        let provider: JWTProvider
        let kid: String?
        let alg: String
        let algorithm: any JWTAlgorithm
    }

    /// The snapshot sequence this ring was built for.
    let sequence: UInt64
    let keysByGateway: [GatewayID: [Key]]
    /// Keys that could not be built (bad JWK, missing environment variable), for the log.
    let problems: [String]

    static let empty = JWTKeyRing(sequence: 0, keysByGateway: [:], problems: [])

    /// Builds the ring for `snapshot`, with `fetched` JWK Sets by URL.
    static func build(
        for snapshot: ConfigSnapshot, fetched: [String: JSONValue] = [:], environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> JWTKeyRing {
        var keysByGateway: [GatewayID: [Key]] = [:]
        var problems: [String] = []
        for view in snapshot.gateways {
            for provider in view.gateway.jwtConfig?.providers ?? [] {
                do {
                    keysByGateway[view.gateway.id, default: []] += try await keys(
                        of: provider, fetched: provider.jwksURL.flatMap { fetched[$0] }, environment: environment, problems: &problems
                    )
                } catch {
                    problems.append("gateway \(view.gateway.name), issuer \(provider.issuer): \(error)")
                }
            }
        }
        return JWTKeyRing(sequence: snapshot.sequence, keysByGateway: keysByGateway, problems: problems)
    }

    private static func keys(
        of provider: JWTProvider, fetched: JSONValue?, environment: [String: String], problems: inout [String]
    ) async throws -> [Key] {
        let collection = JWTKeyCollection()
        var keys: [Key] = []
        if let url = provider.jwksURL, fetched == nil { problems.append("issuer \(provider.issuer): no JWK Set from \(url) yet") }
        for jwks in [provider.jwks, fetched].compactMap({ $0 }) {
            let json = String(decoding: try JSONEncoder().encode(jwks), as: UTF8.self)
            try await collection.add(jwksJSON: json)
            if case .array(let entries)? = jwks["keys"] {
                for case .object(let entry) in entries {
                    guard case .string(let kid)? = entry["kid"], case .string(let alg)? = entry["alg"] else { continue }
                    let algorithm = try await collection.getKey(for: JWKIdentifier(string: kid), alg: alg)
                    keys.append(Key(provider: provider, kid: kid, alg: alg, algorithm: algorithm))
                }
            }
        }
        for (index, hmac) in provider.hmacKeys.enumerated() {
            guard let secret = environment[hmac.secretEnv], !secret.isEmpty else {
                problems.append("issuer \(provider.issuer): environment variable \(hmac.secretEnv) is not set; its HS key is skipped")
                continue
            }
            let digest: DigestAlgorithm = switch hmac.algorithm {
            case "HS384": .sha384
            case "HS512": .sha512
            default: .sha256
            }
            let identifier = JWKIdentifier(string: hmac.kid ?? "hmac-\(index)")
            await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: digest, kid: identifier)
            keys.append(Key(provider: provider, kid: hmac.kid, alg: hmac.algorithm, algorithm: try await collection.getKey(for: identifier, alg: hmac.algorithm)))
        }
        return keys
    }
}
