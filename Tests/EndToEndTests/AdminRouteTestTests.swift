import Foundation
import GatehouseTesting
import Testing

/// `POST /api/gateway/routes/{route_id}/test` goes through the live proxy, reports the spec's
/// `TestRouteResponse`, and leaves no trace in the traffic log; clients cannot fake its marker.
@Suite("Admin API: route test", .serialized)
struct AdminRouteTestTests {
    @Test("a route test runs the real pipeline, is not recorded, and its marker never reaches the upstream")
    func routeTest() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let admin = fixture.admin
        let gateway = try await fixture.gatewayID()
        let routes = try await admin.object("GET", "/api/gateway/\(gateway)/routes")["routes"] as? [[String: Any]] ?? []
        func routeID(_ path: String, _ method: String) throws -> String {
            try #require(routes.first { $0["route_path"] as? String == path && $0["route_method"] as? String == method }?["id"] as? String)
        }
        let wedding = try await admin.object(
            "POST", "/api/gateway/routes/\(try routeID("/api/weddings/{weddingId}", "GET"))/test",
            json: #"{"method": "GET", "path_params": {"weddingId": "w1"}, "headers": {"Accept": "application/json"}}"#
        )
        #expect(wedding["status_code"] as? Int == 200)
        #expect((wedding["backend_service_used"] as? String)?.hasPrefix("demo (http://127.0.0.1:") == true)
        #expect(wedding["cache_status"] as? String == "none")
        #expect(wedding["response_time_ms"] is Double || wedding["response_time_ms"] is Int)
        #expect((wedding["response_headers"] as? [String: Any])?["x-request-id"] is String)
        #expect(wedding["response_body"] is [String: Any])
        #expect(wedding["errors"] == nil)

        let echo = try await admin.object(
            "POST", "/api/gateway/routes/\(try routeID("/api/echo/*", "ANY"))/test",
            json: #"{"method": "POST", "path_params": {"*": "probe/one"}, "query_params": {"q": "a b"}, "body": {"guest": "Ada"}}"#
        )
        let seen = try #require(echo["response_body"] as? [String: Any])
        #expect(seen["path"] as? String == "/echo/probe/one")
        #expect(seen["method"] as? String == "POST")
        let forwarded = (seen["headers"] as? [String: Any] ?? [:]).keys.map { $0.lowercased() }
        #expect(!forwarded.contains("x-gatehouse-route-test"))

        // A client guessing at the marker is just traffic: recorded like any request.
        let guessed = try await TestHTTP.request("GET", "/api/echo/guess", port: fixture.proxy.port, headers: [("X-Gatehouse-Route-Test", "guess")])
        #expect(guessed.header("X-Gatehouse-Route") == nil)
        let guessedID = try #require(guessed.header("X-Request-ID"))
        var logged: [[String: Any]] = []
        for _ in 0 ..< 50 where !logged.contains(where: { $0["request_id"] as? String == guessedID }) {
            logged = try await admin.object("GET", "/api/gateway/requests")["requests"] as? [[String: Any]] ?? []
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(logged.compactMap { $0["request_id"] as? String } == [guessedID])

        let wrongMethod = try await admin.call("POST", "/api/gateway/routes/\(try routeID("/api/weddings/{weddingId}", "GET"))/test", json: #"{"method": "DELETE"}"#)
        #expect(wrongMethod.status == 422)
        let badParameter = try await admin.call(
            "POST", "/api/gateway/routes/\(try routeID("/api/weddings/{weddingId}", "GET"))/test", json: #"{"method": "GET", "path_params": {"vendorId": "x"}}"#
        )
        #expect(badParameter.status == 400)
        #expect(try await admin.call("POST", "/api/gateway/routes/\(UUID().uuidString)/test", json: #"{"method": "GET"}"#).status == 404)
    }
}
