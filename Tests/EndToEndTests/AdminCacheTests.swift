import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// `/api/gateway/cache/…`: preload through the live pipeline, statistics of what is held, and
/// every invalidation mode — each recorded as a `CacheInvalidated` event.
@Suite("Admin API: cache", .serialized)
struct AdminCacheTests {
    static let routes = [
        #"{ route_path: "/api/items/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/items/{id}", cache_config: { enabled: true, ttl: 300, tags: [items] } }"#,
        #"{ route_path: "/api/mine/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/mine/{id}", auth_requirements: { required: true }, cache_config: { enabled: true, ttl: 30, vary_by: [api_key] } }"#,
        #"{ route_path: "/api/plain/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/plain/{id}" }"#,
    ]
    static let keys = """
    api_keys:
      - { key_name: ada, key: cache-admin-key-ada1, owner_id: ada, rate_limit_tier: enterprise }
    """

    static func start() throws -> AdminAPIFixture { try AdminAPIFixture.start(routes: routes, topLevelYAML: keys) }

    static func get(_ fixture: AdminAPIFixture, _ target: String, _ headers: [(String, String)] = []) async throws -> TestResponse {
        try await TestHTTP.request("GET", target, port: fixture.proxy.port, headers: headers)
    }

    @Test("preload stores responses through the live pipeline (per consumer with auth_context.api_key) and reports why others were not stored")
    func preload() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let answer = try await fixture.admin.object("POST", "/api/gateway/cache/preload", json: """
        {"routes": [
          {"path": "/api/items/1", "method": "GET"},
          {"path": "/api/items/2", "method": "GET", "request_params": {"view": "full", "page": 2}},
          {"path": "/api/mine/1", "method": "GET", "auth_context": {"api_key": "cache-admin-key-ada1"}},
          {"path": "/api/plain/1", "method": "GET"},
          {"path": "/api/items/3", "method": "POST"},
          {"path": "/api/items/4?cache_control=no-store", "method": "GET"},
          {"path": "/api/items/4", "method": "GET", "request_params": {"cache_control": "no-store"}}
        ]}
        """)
        let results = try #require(answer["preload_results"] as? [[String: Any]])
        #expect(results.map { $0["status"] as? String } == ["success", "success", "success", "error", "error", "error", "error"])
        #expect(results[0]["cache_key"] as? String == "wedsync-api-gateway:/api/items/1|anonymous")
        #expect(results[1]["cache_key"] as? String == "wedsync-api-gateway:/api/items/2?page=2&view=full|anonymous")
        #expect((results[2]["cache_key"] as? String)?.hasPrefix("wedsync-api-gateway:/api/mine/1|api_key=") == true)
        #expect((results[3]["error_message"] as? String)?.contains("does not cache") == true)
        #expect((results[6]["error_message"] as? String)?.contains("no_store") == true)
        #expect(results.allSatisfy { $0["response_time_ms"] is Double || $0["response_time_ms"] is Int })

        let hit = try await Self.get(fixture, "/api/items/2?view=full&page=2")
        #expect(hit.header("X-Cache") == "HIT")
        #expect(try await Self.get(fixture, "/api/mine/1", [("X-API-Key", "cache-admin-key-ada1")]).header("X-Cache") == "HIT")
        // A preload refreshes even a fresh entry.
        let again = try await fixture.admin.object("POST", "/api/gateway/cache/preload", json: #"{"routes": [{"path": "/api/items/1", "method": "GET"}]}"#)
        #expect((again["preload_results"] as? [[String: Any]])?.first?["status"] as? String == "success")
        let stats = try await TestHTTP.request("GET", "/_demo/stats", port: fixture.proxy.upstreams[0].port).json()
        #expect((stats["cacheable_fetches"] as? [String: Int])?["/cacheable/items/1"] == 2)

        let refused = try await fixture.admin.call("POST", "/api/gateway/cache/preload", json: #"{"routes": [{"path": "/api/mine/1", "method": "GET", "auth_context": {"user_id": "ada"}}]}"#)
        #expect(refused.status == 422)
        #expect(try refused.json()["code"] as? String == "unsupported_field")
        #expect(try await fixture.admin.call("POST", "/api/gateway/cache/preload", json: #"{"routes": []}"#).status == 422)
        #expect(try await fixture.admin.call("POST", "/api/gateway/cache/preload", json: #"{"routes": [{"path": "/x"}]}"#).status == 400)
    }

    @Test("stats report what is held (by route, freshness lifetime and content type) and the counters")
    func stats() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        _ = try await Self.get(fixture, "/api/items/1")
        _ = try await Self.get(fixture, "/api/items/1")
        _ = try await Self.get(fixture, "/api/mine/1", [("X-API-Key", "cache-admin-key-ada1")])
        let stats = try await fixture.admin.object("GET", "/api/gateway/cache/stats")
        let overview = stats.object("cache_overview")
        #expect(overview["total_cached_responses"] as? Int == 2)
        #expect((overview["cache_size_bytes"] as? Int ?? 0) > 0)
        #expect(overview.object("since_start")["hits"] as? Int == 1)
        #expect(overview.object("since_start")["stores"] as? Int == 2)
        #expect(overview["eviction_rate_24h"] as? Double == 0 || overview["eviction_rate_24h"] as? Int == 0)
        for field in ["hit_rate_24h", "miss_rate_24h"] { #expect(overview[field] is Double || overview[field] is Int) }
        let performance = try #require(stats["cache_performance"] as? [[String: Any]])
        #expect(performance.map { $0["route_path"] as? String } == ["/api/items/{id}", "/api/mine/{id}"])
        #expect(performance.map { $0["entries"] as? Int } == [1, 1])
        let distribution = stats.object("cache_distribution")
        let byTTL = try #require(distribution["by_ttl"] as? [[String: Any]])
        #expect(byTTL.map { $0["ttl_range"] as? String } == ["0-60s", "5-60m"])
        let byType = try #require(distribution["by_content_type"] as? [[String: Any]])
        #expect(byType.first?["content_type"] as? String == "application/json" && byType.first?["count"] as? Int == 2)
    }

    @Test("the body a gzip hit codes once is held with its entry and counted in the cache's size")
    func codedBodiesCounted() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let target = "/api/items/big?pad=20000"
        _ = try await Self.get(fixture, target)
        let plain = try await Self.get(fixture, target)
        #expect(plain.header("X-Cache") == "HIT")
        let size = { () async throws -> Int in
            try await fixture.admin.object("GET", "/api/gateway/cache/stats").object("cache_overview")["cache_size_bytes"] as? Int ?? -1
        }
        let beforeCoding = try await size()
        let gzip = try await Self.get(fixture, target, [("Accept-Encoding", "gzip")])
        #expect(gzip.header("Content-Encoding") == "gzip")
        let afterCoding = try await size()
        // The coded body, its encoded head or both: at least the body's bytes, less than the stored body.
        #expect(afterCoding - beforeCoding >= gzip.body.count)
        #expect(afterCoding - beforeCoding < plain.body.count)
        let removal = try await fixture.admin.object("POST", "/api/gateway/cache/invalidate", json: #"{"tags": ["items"], "force": true}"#)
        #expect(removal["bytes_freed"] as? Int == afterCoding)
        #expect(try await size() == 0)
    }

    @Test("invalidation by tag (soft: entries revalidate), by route and by pattern (force: bytes freed), by key; bad selectors are refused")
    func invalidate() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        for id in ["1", "2", "3"] { _ = try await Self.get(fixture, "/api/items/\(id)") }
        let soft = try await fixture.admin.object("POST", "/api/gateway/cache/invalidate", json: #"{"tags": ["items"]}"#)
        #expect(soft["invalidated_count"] as? Int == 3 && soft["bytes_freed"] as? Int == 0 && soft["mode"] as? String == "marked_stale")
        #expect(try await Self.get(fixture, "/api/items/1").header("X-Cache") == "EXPIRED")
        #expect(try await Self.get(fixture, "/api/items/1").header("X-Cache") == "HIT")

        let byKey = try await fixture.admin.object(
            "POST", "/api/gateway/cache/invalidate", json: #"{"cache_keys": ["wedsync-api-gateway:/api/items/1|anonymous"], "force": true}"#
        )
        #expect(byKey["cache_keys_invalidated"] as? [String] == ["wedsync-api-gateway:/api/items/1|anonymous"])
        #expect((byKey["bytes_freed"] as? Int ?? 0) > 0)
        #expect(try await Self.get(fixture, "/api/items/1").header("X-Cache") == "MISS")

        let byPattern = try await fixture.admin.object("POST", "/api/gateway/cache/invalidate", json: #"{"pattern": "items/[23]\\|", "force": true}"#)
        #expect(Set(byPattern["cache_keys_invalidated"] as? [String] ?? []) == [
            "wedsync-api-gateway:/api/items/2|anonymous", "wedsync-api-gateway:/api/items/3|anonymous",
        ])
        let byRoute = try await fixture.admin.object(
            "POST", "/api/gateway/cache/invalidate", json: #"{"routes": [{"path": "/api/items/{id}", "method": "GET"}], "force": true}"#
        )
        #expect(byRoute["invalidated_count"] as? Int == 1)
        let stats = try await fixture.admin.object("GET", "/api/gateway/cache/stats")
        #expect(stats.object("cache_overview")["total_cached_responses"] as? Int == 0)

        let nothing = try await fixture.admin.call("POST", "/api/gateway/cache/invalidate", json: "{}")
        #expect(nothing.status == 422)
        #expect(try nothing.json()["code"] as? String == "nothing_selected")
        let badPattern = try await fixture.admin.call("POST", "/api/gateway/cache/invalidate", json: #"{"pattern": "("}"#)
        #expect(badPattern.status == 400)
        #expect(try badPattern.json()["field"] as? String == "pattern")
        #expect(try await fixture.admin.call("POST", "/api/gateway/cache/invalidate", json: #"{"tag": ["x"]}"#).status == 400)
        #expect(try await fixture.admin.call("POST", "/api/gateway/cache/invalidate", json: #"{"routes": [{"path": "/a", "method": "FETCH"}]}"#).status == 400)
        #expect(try await fixture.admin.call("GET", "/api/gateway/cache/stats", headers: [("Authorization", "Bearer wrong")]).status == 401)

        fixture.proxy.stop()
        let invalidations = try fixture.proxy.controlEvents().compactMap { event -> CacheInvalidation? in
            if case .cacheInvalidated(let invalidation) = event { return invalidation }
            return nil
        }
        #expect(invalidations.map(\.count) == [3, 1, 2, 1])
        #expect(invalidations.map(\.selector) == [
            "tags:items", "force keys:1", "force pattern:items/[23]\\|", "force routes:GET /api/items/{id}",
        ])
    }
}
