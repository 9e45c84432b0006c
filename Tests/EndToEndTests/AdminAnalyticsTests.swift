import Foundation
import GatehouseTesting
import Testing

/// The spec's analytics endpoints over real proxied traffic.
@Suite("Admin API: analytics", .serialized)
struct AdminAnalyticsTests {
    @Test("overview, per-route and error analytics count what the proxy answered")
    func analytics() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let admin = fixture.admin
        let paths = ["/api/echo/a", "/api/echo/b", "/api/echo/c?status=500", "/api/weddings/w1", "/api/nowhere"]
        for path in paths { _ = try await TestHTTP.request("GET", path, port: fixture.proxy.port) }
        var total = 0
        for _ in 0 ..< 50 where total < paths.count {
            total = try await admin.object("GET", "/api/gateway/analytics/overview").object("metrics")["total_requests"] as? Int ?? 0
            if total < paths.count { try await Task.sleep(for: .milliseconds(200)) }
        }
        let overview = try await admin.object("GET", "/api/gateway/analytics/overview?range=1h")
        let metrics = overview.object("metrics")
        #expect(metrics["total_requests"] as? Int == 5)
        #expect(metrics["failed_requests"] as? Int == 2 && metrics["successful_requests"] as? Int == 3)
        #expect(metrics["p95_response_time"] is Double || metrics["p95_response_time"] is Int)
        let top = metrics["top_endpoints"] as? [[String: Any]] ?? []
        #expect(top.first?["path"] as? String == "/api/echo/*" && top.first?["requests"] as? Int == 3)
        #expect((metrics["error_breakdown"] as? [[String: Any]])?.compactMap { $0["status_code"] as? Int } == [404, 500])
        #expect((overview.object("trends")["requests_per_hour"] as? [[String: Any]])?.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == 5)

        let echoID = try #require(top.first?["route_id"] as? String)
        let route = try await admin.object("GET", "/api/gateway/analytics/routes/\(echoID)")
        #expect(route.object("route_info")["path"] as? String == "/api/echo/*")
        #expect(route.object("performance_metrics")["total_requests"] as? Int == 3)
        #expect((route.object("performance_metrics")["error_rate"] as? Double).map { abs($0 - 1.0 / 3) < 0.001 } == true)
        let statuses = route.object("request_patterns")["requests_by_status"] as? [[String: Any]] ?? []
        #expect(statuses.map { "\($0["status_code"] ?? "")×\($0["count"] ?? "")" } == ["200×2", "500×1"])

        let errors = try await admin.object("GET", "/api/gateway/analytics/errors")
        #expect(errors.object("error_summary")["total_errors"] as? Int == 2)
        let common = errors.object("error_summary")["most_common_errors"] as? [[String: Any]] ?? []
        #expect(Set(common.compactMap { $0["status_code"] as? Int }) == [404, 500])
        #expect((errors["affected_routes"] as? [[String: Any]])?.first?["route_path"] as? String == "/api/echo/*")

        #expect(try await admin.call("GET", "/api/gateway/analytics/overview?range=90d").status == 400)
        #expect(try await admin.call("GET", "/api/gateway/analytics/overview?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").status == 400)
        #expect(try await admin.call("GET", "/api/gateway/analytics/routes/\(UUID().uuidString)").status == 404)
    }
}
