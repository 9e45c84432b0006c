import Foundation
import GatehouseTesting
import Testing

/// The OpenAPI document at `/api/gateway/openapi.json` is valid OpenAPI 3.1, covers every spec
/// endpoint, and documents only endpoints the listener really serves.
@Suite("Admin API: OpenAPI document", .serialized)
struct AdminOpenAPITests {
    /// The spec's "API Endpoints" section (the cache endpoints come with issue #7).
    static let specEndpoints = [
        ("get", "/api/gateway/config"), ("post", "/api/gateway/config"), ("put", "/api/gateway/config/{gateway_id}"),
        ("get", "/api/gateway/{gateway_id}/health"), ("get", "/api/gateway/{gateway_id}/routes"), ("post", "/api/gateway/{gateway_id}/routes"),
        ("put", "/api/gateway/routes/{route_id}"), ("delete", "/api/gateway/routes/{route_id}"),
        ("get", "/api/gateway/api-keys"), ("post", "/api/gateway/api-keys"), ("put", "/api/gateway/api-keys/{key_id}"),
        ("post", "/api/gateway/api-keys/{key_id}/rotate"), ("get", "/api/gateway/api-keys/{key_id}/usage"),
        ("get", "/api/gateway/analytics/overview"), ("get", "/api/gateway/analytics/routes/{route_id}"), ("get", "/api/gateway/analytics/errors"),
        ("post", "/api/gateway/routes/{route_id}/test"),
    ]

    @Test("valid, complete, and true to what is served")
    func documentMatchesTheListener() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let response = try await fixture.admin.with(bearer: nil).call("GET", "/api/gateway/openapi.json")
        #expect(response.status == 200)
        let document = try response.json()
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = document.object("paths")
        for (method, path) in Self.specEndpoints {
            #expect(paths.object(path)[method] != nil, "\(method.uppercased()) \(path) is not documented")
        }

        // Validated by an independent implementation of the OpenAPI schema.
        let file = fixture.proxy.directory.appending("openapi.json")
        try response.body.write(to: URL(fileURLWithPath: file))
        let validation = try runProcess("/usr/bin/env", ["python3", "-m", "openapi_spec_validator", file])
        #expect(validation.status == 0, "\(validation.standardOutput)\(validation.standardError)")

        // Every documented operation is served: with placeholder ids it may be 404 "not found" or
        // refused for its input, but never "no such endpoint" or "method not allowed".
        var operations = 0
        for (template, item) in paths {
            let path = template.replacingOccurrences(of: #"\{[^}]+\}"#, with: UUID().uuidString.lowercased(), options: .regularExpression)
            for method in (item as? [String: Any] ?? [:]).keys {
                let answer = try await fixture.admin.call(method.uppercased(), path, json: method == "get" || method == "delete" ? nil : "{}")
                let code = (try? answer.json())?["code"] as? String
                #expect(code != "route_not_found" && code != "method_not_allowed", "\(method.uppercased()) \(template) is documented but not served")
                operations += 1
            }
        }
        #expect(operations >= 35)
    }
}
