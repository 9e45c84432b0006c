import Foundation
import GatehouseCore
import NIOCore
import NIOSSL

/// Fetches an issuer's JWK Set (`GET jwks_url`): 200 with a JSON object holding `keys`.
enum JWKSFetcher {
    static func fetch(_ url: String, tls: NIOSSLContext, on eventLoop: any EventLoop) async throws -> JSONValue {
        let answer = try await SideRequest.send(.GET, url, headers: [("Accept", "application/json")], tls: tls, on: eventLoop).get()
        guard answer.status == 200 else { throw SideRequest.Failure(description: "HTTP \(answer.status)") }
        let document = try JSONDecoder().decode(JSONValue.self, from: Data(answer.body))
        guard case .array? = document["keys"] else { throw SideRequest.Failure(description: "the answer is not a JWK Set") }
        return document
    }
}
