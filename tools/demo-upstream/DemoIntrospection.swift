import Foundation
import Synchronization

/// A toy RFC 7662 authorization server for tests of `oauth_introspection`: `POST /_demo/introspect`
/// with HTTP Basic `gatehouse:introspection-secret` (else 401). `token=opaque-<sub>` is active with
/// scope `read:weddings` and role `planner`; `token=opaque-noscope-<sub>` is active with scope
/// `read:vendors`; anything else is inactive. `GET /_demo/stats` counts the calls.
final class DemoIntrospection: Sendable {
    static let expectedCredentials = "Basic " + Data("gatehouse:introspection-secret".utf8).base64EncodedString()
    private let calls = Atomic<Int>(0)

    var count: Int { calls.load(ordering: .relaxed) }

    /// The status and JSON body answering `request`.
    func answer(_ request: DemoRequest) -> (Int, [String: Any]) {
        calls.add(1, ordering: .relaxed)
        guard request.headers.first(where: { $0.name.lowercased() == "authorization" })?.value == Self.expectedCredentials else {
            return (401, ["error": "invalid_client"])
        }
        let form = String(decoding: request.body, as: UTF8.self).split(separator: "&").reduce(into: [String: String]()) { fields, pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        let token = form["token"] ?? ""
        let exp = Int(Date().timeIntervalSince1970) + 300
        if token.hasPrefix("opaque-noscope-") {
            return (200, ["active": true, "sub": String(token.dropFirst(15)), "scope": "read:vendors", "exp": exp])
        }
        if token.hasPrefix("opaque-") {
            return (200, ["active": true, "sub": String(token.dropFirst(7)), "scope": "read:weddings", "roles": ["planner"], "exp": exp])
        }
        return (200, ["active": false])
    }
}
