import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// Alert rules set through the admin API fire once per incident, reach the webhook, resolve
/// when the condition clears, and are events in the log.
@Suite("alerts", .serialized)
struct AdminAlertTests {
    @Test("an error-rate alert is raised once while it lasts; an instance down is raised and resolved; both reach the webhook")
    func alerts() async throws {
        let noBreaker = "circuit_breaker_config: { failure_threshold: 1000 }, retry_attempts: 0"
        let fixture = try ProxyFixture.start(
            upstreams: 2, instanceFields: [noBreaker, noBreaker], gatewayFields: ["health_check_interval: 1"],
            serveArguments: { _ in ["--alert-interval", "1"] }
        )
        defer { fixture.tearDown() }
        let admin = AdminClient(port: try #require(fixture.gateway.adminPort), bearer: fixture.gateway.adminToken)
        let gateway = try #require((try await admin.object("GET", "/api/gateway/config")["gateways"] as? [[String: Any]])?.first?["id"] as? String)
        let receiver = fixture.upstreams[1].port
        let update = try await admin.call("PUT", "/api/gateway/config/\(gateway)", json: """
        {"alerting": {"webhooks": ["http://127.0.0.1:\(receiver)/_demo/webhooks"], "rules": [
          {"name": "errors", "type": "error_rate", "threshold": 0.5, "window_minutes": 5, "min_requests": 5, "severity": "critical"},
          {"name": "down", "type": "upstream_down"}
        ]}}
        """)
        #expect(update.status == 200, "\(update.text)")
        let refused = try await admin.call("PUT", "/api/gateway/config/\(gateway)", json: #"{"alerting": {"rules": [{"name": "x", "type": "error_rate", "threshold": 5}]}}"#)
        #expect(refused.status == 422)

        func webhooks() async throws -> [[String: Any]] {
            try JSONSerialization.jsonObject(with: try await TestHTTP.request("GET", "/_demo/webhooks", port: receiver).body) as? [[String: Any]] ?? []
        }
        func waitFor(_ condition: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
            for _ in 0 ..< 300 {  // 30 s at most
                let received = try await webhooks()
                if condition(received) { return received }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try await webhooks()
        }

        for _ in 0 ..< 6 { _ = try await TestHTTP.request("GET", "/api/echo/fail?status=500", port: fixture.port) }
        let raised = try await waitFor { $0.contains { $0["rule"] as? String == "errors" } }
        let errorAlert = try #require(raised.first { $0["rule"] as? String == "errors" })
        #expect(errorAlert["event"] as? String == "alert.raised" && errorAlert["severity"] as? String == "critical")
        #expect((errorAlert["message"] as? String)?.contains("5xx rate 100.0%") == true)
        let listed = try await admin.object("GET", "/api/gateway/alerts")
        #expect((listed["active"] as? [[String: Any]])?.contains { $0["rule"] as? String == "errors" } == true)

        try await fixture.setBehaviour(of: 0, #"{"error_rate": 1, "error_status": 503}"#)
        _ = try await waitFor { $0.contains { $0["rule"] as? String == "down" && $0["event"] as? String == "alert.raised" } }
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 0}"#)
        let all = try await waitFor { $0.contains { $0["rule"] as? String == "down" && $0["event"] as? String == "alert.resolved" } }
        let down = all.filter { $0["rule"] as? String == "down" }.map { $0["event"] as? String ?? "" }
        #expect(down == ["alert.raised", "alert.resolved"])
        #expect(all.filter { $0["rule"] as? String == "errors" }.count == 1, "raised once however many evaluations saw it")

        fixture.stop()
        let events = try fixture.controlEvents().compactMap { event -> String? in
            switch event {
            case .alertRaised(let notice): "raised \(notice.rule)"
            case .alertResolved(let notice): "resolved \(notice.rule)"
            default: nil
            }
        }
        #expect(events == ["raised errors", "raised down", "resolved down"])
    }
}
