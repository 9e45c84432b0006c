import Foundation
import GatehouseTesting
import Testing

/// `GET /api/gateway/requests` and `/requests/{request_id}` over real proxied traffic.
@Suite("Admin API: request log", .serialized)
struct AdminRequestLogTests {
    @Test("filtered, newest first, paged by cursor; one request with its decision trace; consumers see only their own")
    func requestLog() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let admin = fixture.admin
        var requestIDs: [String] = []
        for path in ["/api/weddings/w1", "/api/vendors/v1?token=secret&city=Leeds", "/api/echo/a", "/api/nowhere", "/api/echo/b"] {
            let response = try await TestHTTP.request("GET", path, port: fixture.proxy.port, headers: [("User-Agent", "log-test")])
            requestIDs.append(try #require(response.header("X-Request-ID")))
        }
        // Outcomes are group-committed; wait until all five are readable.
        var all: [[String: Any]] = []
        for _ in 0 ..< 50 where all.count < 5 {
            all = try await admin.object("GET", "/api/gateway/requests")["requests"] as? [[String: Any]] ?? []
            if all.count < 5 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(all.compactMap { $0["request_id"] as? String } == requestIDs.reversed())
        let sequences = all.compactMap { ($0["sequence"] as? String).flatMap(UInt64.init) }
        #expect(sequences == sequences.sorted(by: >))

        let vendor = try #require(all.first { $0["request_id"] as? String == requestIDs[1] })
        #expect(vendor["path"] as? String == "/api/vendors/v1")
        #expect((vendor["query_params"] as? [String: Any])?["city"] as? String == "Leeds")
        #expect((vendor["query_params"] as? [String: Any])?["token"] as? String != "secret")
        #expect(vendor["user_agent"] as? String == "log-test")
        #expect(vendor["response_status"] as? Int == 200 && vendor["backend_service_id"] is String)
        #expect(vendor["ip_address"] as? String == "127.0.0.1")

        let missing = try await admin.object("GET", "/api/gateway/requests?status_class=4xx")["requests"] as? [[String: Any]] ?? []
        #expect(missing.compactMap { $0["request_id"] as? String } == [requestIDs[3]])
        #expect(missing.first?["decision"] as? String == "no_route")
        let echoes = try await admin.object("GET", "/api/gateway/requests?path_prefix=/api/echo/&method=get")["requests"] as? [[String: Any]] ?? []
        #expect(echoes.count == 2)

        // Pages of two: 2 + 2 + 1, no overlap, then no cursor.
        var seen: [String] = []
        var cursor: String? = nil
        var pages = 0
        repeat {
            let page = try await admin.object("GET", "/api/gateway/requests?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            seen += (page["requests"] as? [[String: Any]] ?? []).compactMap { $0["request_id"] as? String }
            cursor = page["next_cursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(seen == requestIDs.reversed())
        #expect(pages == 3)

        let detail = try await admin.object("GET", "/api/gateway/requests/\(requestIDs[0])").object("request")
        let trace = detail["trace"] as? [[String: Any]] ?? []
        #expect(trace.compactMap { $0["step"] as? String } == ["route", "auth", "limits", "cache", "backend", "response"])
        #expect(trace.first?["route_path"] as? String == "/api/weddings/{weddingId}")
        #expect(trace[4]["service_url"] as? String == fixture.proxy.upstreams[0].url)
        #expect(try await admin.call("GET", "/api/gateway/requests/no-such-request").status == 404)

        let badFilter = try await admin.call("GET", "/api/gateway/requests?status_class=6xx")
        #expect(badFilter.status == 400)
        #expect(try badFilter.json()["field"] as? String == "status_class")
        #expect(try await admin.call("GET", "/api/gateway/requests?colour=red").status == 400)
        #expect(try await admin.call("GET", "/api/gateway/requests?from=yesterday").status == 400)

        // A consumer made none of these requests: it sees none of them.
        let key = try await admin.object("POST", "/api/gateway/api-keys", json: #"{"key_name": "frank", "owner_id": "frank"}"#, expect: 201).object("api_key")
        let frank = admin.with(bearer: try #require(key["api_key"] as? String))
        #expect(try await frank.object("GET", "/api/gateway/requests")["count"] as? Int == 0)
        #expect(try await frank.call("GET", "/api/gateway/requests/\(requestIDs[0])").status == 404)
    }
}
