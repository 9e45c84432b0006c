import Foundation
import GatehouseTesting
import Testing

/// `gatehouse query` over real traffic recorded by a gateway, in every format.
@Suite("gatehouse query", .serialized)
struct QueryCommandTests {
    let gatehouse = BuiltProducts.path(of: "gatehouse")

    @Test("overview, routes, statuses and errors from the metrics projection as table, JSON and CSV; bad ranges refused")
    func query() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        for index in 0 ..< 6 { _ = try await TestHTTP.request("GET", "/api/echo/w\(index)", port: fixture.port) }
        for _ in 0 ..< 3 { _ = try await TestHTTP.request("GET", "/api/nowhere", port: fixture.port) }
        fixture.stop()
        let data = fixture.gateway.data

        let overview = try runProcess(gatehouse, ["query", "overview", "--data", data, "--range", "1h", "--format", "json"])
        #expect(overview.status == 0, "\(overview.standardError)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(overview.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.first?["requests"] as? Int == 9)
        #expect(rows.first?["errors"] as? Int == 3)
        #expect((rows.first?["p95_ms"] as? Double ?? -1) >= 0)

        let routes = try runProcess(gatehouse, ["query", "routes", "--data", data, "--range", "1h", "--format", "csv"])
        let lines = routes.standardOutput.split(separator: "\n")
        #expect(lines.first == "route,method,requests,errors,error_rate,avg_ms,p50_ms,p95_ms,p99_ms,cache_hit_rate,bytes_out")
        #expect(lines.dropFirst().first?.hasPrefix("/api/echo/*,ANY,6,0,") == true)

        let statuses = try runProcess(gatehouse, ["query", "statuses", "--data", data, "--range", "1h", "--format", "csv"])
        #expect(statuses.standardOutput.split(separator: "\n").prefix(3).map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
            == ["status,requests", "200,6", "404,3"])
        let errors = try runProcess(gatehouse, ["query", "errors", "--data", data, "--range", "1h", "--format", "json"])
        let kinds = try #require(try JSONSerialization.jsonObject(with: Data(errors.standardOutput.utf8)) as? [[String: Any]])
        #expect(kinds.count == 1 && kinds.first?["status"] as? Int == 404 && kinds.first?["count"] as? Int == 3)
        #expect((kinds.first?["first_seen"] as? String).flatMap { $0.isEmpty ? nil : $0 } != nil)
        let bad = try runProcess(gatehouse, ["query", "overview", "--data", data, "--range", "yesterday"])
        #expect(bad.status != 0 && bad.standardError.contains("--range"))
    }
}
