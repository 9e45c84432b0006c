import Foundation
import GatehouseTesting
import Testing

/// `GET /metrics` parsed by Prometheus' own Python client: the traffic counters and duration
/// histograms come from the recorded outcomes, the rest from live state.
@Suite("Admin API: Prometheus metrics", .serialized)
struct AdminMetricsTests {
    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// The exposition's samples, as `prometheus_client.parser` reads them (it refuses malformed text).
    static func parse(_ text: String, in directory: TemporaryDirectory) throws -> [Sample] {
        let file = directory.appending("metrics.txt")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(open(sys.argv[1]).read()):
            for s in family.samples:
                out.append({"name": s.name, "labels": s.labels, "value": s.value})
        print(json.dumps(out))
        """
        let result = try runProcess("/usr/bin/env", ["python3", "-c", script, file])
        guard result.status == 0 else { throw TestHTTPError(message: "the Prometheus parser refused the exposition: \(result.standardError)") }
        return try JSONDecoder().decode([Sample].self, from: Data(result.standardOutput.utf8))
    }

    @Test("requests, responses by class and by route and status, route counters and duration histograms from the log; breaker states; live health, cache, writer and limiter figures")
    func metrics() async throws {
        let limited = #"{ route_path: "/api/limited", route_method: GET, service: demo, upstream_path: "/echo/limited", rate_limit_config: { requests_per_minute: 1 } }"#
        let fixture = try AdminAPIFixture.start(routes: ProxyFixture.standardRoutes + [limited])
        defer { fixture.tearDown() }
        for path in ["/api/echo/a", "/api/echo/b", "/api/echo/c", "/api/nowhere", "/api/nowhere"] {
            _ = try await TestHTTP.request("GET", path, port: fixture.proxy.port)
        }
        var limitedStatuses: [Int] = []
        for _ in 0 ..< 3 { limitedStatuses.append(try await TestHTTP.request("GET", "/api/limited", port: fixture.proxy.port).status) }
        #expect(limitedStatuses == [200, 429, 429])
        // Outcomes reach the log in batches (at most a second apart): wait until all eight are there.
        var samples: [Sample] = []
        for _ in 0 ..< 100 {
            let response = try await fixture.admin.call("GET", "/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            samples = try Self.parse(response.text, in: fixture.proxy.directory)
            if samples.first(where: { $0.name == "gatehouse_requests_total" })?.value == 8 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
        }
        #expect(value("gatehouse_requests_total", ["gateway": "wedsync-api-gateway"]) == 8)
        #expect(value("gatehouse_responses_total", ["status_class": "2xx"]) == 4)
        #expect(value("gatehouse_responses_total", ["status_class": "4xx"]) == 4)
        #expect(value("gatehouse_limiter_refusals_total") == 2 && value("gatehouse_limiter_callers") == 1)
        #expect(value("gatehouse_limiter_shadow_violations_total") == 0)
        let echo = ["route": "/api/echo/*", "method": "ANY"]
        #expect(value("gatehouse_route_requests_total", echo) == 3)
        #expect(value("gatehouse_route_errors_total", echo.merging(["class": "5xx"]) { $1 }) == 0)
        #expect(value("gatehouse_route_responses_total", echo.merging(["status": "200"]) { $1 }) == 3)
        #expect(value("gatehouse_route_responses_total", ["route": "/api/limited", "status": "429"]) == 2)
        #expect(value("gatehouse_circuit_breaker_state", ["service": "demo"]) == 0)
        #expect(value("gatehouse_request_duration_seconds_count", echo) == 3)
        #expect(value("gatehouse_request_duration_seconds_bucket", echo.merging(["le": "+Inf"]) { $1 }) == 3)
        let buckets = samples.filter { $0.name == "gatehouse_request_duration_seconds_bucket" && $0.labels["route"] == "/api/echo/*" }.map(\.value)
        #expect(buckets == buckets.sorted() && buckets.count == 12)
        #expect(value("gatehouse_cache_entries") == 0)
        #expect((value("gatehouse_outcomes_written_total") ?? 0) >= 8 && value("gatehouse_outcomes_dropped_total") == 0)
        #expect(value("gatehouse_outcome_queue_depth") != nil && value("gatehouse_log_commit_seconds") != nil)
        #expect((value("gatehouse_config_sequence") ?? 0) > 0)
        #expect(try await fixture.admin.with(bearer: nil).call("GET", "/metrics").status == 401)
    }
}
