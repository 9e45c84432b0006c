import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// The response cache on real traffic: the spec's MISS-then-HIT case, Cache-Control semantics,
/// revalidation, per-consumer entries, request coalescing and invalidation by unsafe requests.
@Suite("proxy: response cache", .serialized)
struct ProxyCacheTests {
    static let routes = [
        #"{ route_path: "/api/items/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/items/{id}", cache_config: { enabled: true, ttl: 300, invalidate_on: [PUT, POST] } }"#,
        #"{ route_path: "/api/items/{id}", route_method: PUT, service: demo, upstream_path: "/echo/items/{id}" }"#,
        #"{ route_path: "/api/items/{id}/notes", route_method: POST, service: demo, upstream_path: "/echo/items/{id}/notes" }"#,
        #"{ route_path: "/api/shared/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/shared/{id}", auth_requirements: { required: true }, cache_config: { enabled: true, ttl: 300 } }"#,
        #"{ route_path: "/api/mine/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/mine/{id}", auth_requirements: { required: true }, cache_config: { enabled: true, ttl: 300, vary_by: [api_key] } }"#,
        #"{ route_path: "/api/plain/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/plain/{id}" }"#,
    ]

    static let keys = """
    api_keys:
      - { key_name: ada, key: cache-test-key-ada-01, owner_id: ada, rate_limit_tier: enterprise }
      - { key_name: bea, key: cache-test-key-bea-01, owner_id: bea, rate_limit_tier: enterprise }
    """

    static func start() throws -> ProxyFixture {
        try ProxyFixture.start(upstreams: 1, routes: routes, topLevelYAML: keys)
    }

    /// How often the upstream was asked for `path` (an upstream path).
    static func fetches(_ fixture: ProxyFixture, _ path: String) async throws -> Int {
        let stats = try await TestHTTP.request("GET", "/_demo/stats", port: fixture.upstreams[0].port).json()
        return (stats["cacheable_fetches"] as? [String: Int])?[path] ?? 0
    }

    /// A hit's fields in order, the numbers in the cache's `Age`, `Surrogate-Control` and
    /// `Cache-Control` blanked (they move on from hit to hit).
    static func hitFields(_ response: TestResponse) -> [String] {
        response.headers.map { field in
            let value = ["age", "surrogate-control", "cache-control"].contains(field.name.lowercased())
                ? String(field.value.map { $0.isNumber ? "#" : $0 }) : field.value
            return "\(field.name): \(value)"
        }
    }

    static func get(_ fixture: ProxyFixture, _ target: String, _ headers: [(String, String)] = []) async throws -> TestResponse {
        try await TestHTTP.request("GET", target, port: fixture.port, headers: headers)
    }

    @Test("the spec's case: the first GET is a MISS, the second a HIT with the same body, and the upstream is asked once")
    func missThenHit() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let first = try await Self.get(fixture, "/api/items/1")
        let second = try await Self.get(fixture, "/api/items/1")
        #expect(first.status == 200 && second.status == 200)
        #expect(first.header("X-Cache") == "MISS")
        #expect(second.header("X-Cache") == "HIT")
        #expect(second.text == first.text)
        #expect(second.header("Age") != nil)
        #expect(second.header("X-Request-ID") != first.header("X-Request-ID"))
        #expect(first.header("Surrogate-Control") == "max-age=300")
        #expect(first.header("Cache-Control") == "public, max-age=300")
        #expect(try await Self.fetches(fixture, "/cacheable/items/1") == 1)

        // The query is normalised; a different query is another entry.
        _ = try await Self.get(fixture, "/api/items/2?b=2&a=1")
        #expect(try await Self.get(fixture, "/api/items/2?a=1&b=2").header("X-Cache") == "HIT")
        #expect(try await Self.get(fixture, "/api/items/2?a=1").header("X-Cache") == "MISS")
        // HEAD is answered from the GET entry; a route without cache_config sends no X-Cache.
        let head = try await TestHTTP.request("HEAD", "/api/items/1", port: fixture.port)
        #expect(head.status == 200 && head.header("X-Cache") == "HIT" && head.body.isEmpty)
        #expect(try await Self.get(fixture, "/api/plain/1").header("X-Cache") == nil)
        fixture.stop()
        let outcomes = try fixture.outcomes().filter { $0.path.hasPrefix("/api/items/1") }
        #expect(outcomes.map(\.cacheStatus) == [.miss, .hit, .hit])
        #expect(outcomes[1].decision == .servedFromCache && outcomes[1].backendServiceID == nil)
    }

    @Test("the fields a hit sets appear once: an upstream's Age, X-Cache and Surrogate-Control are replaced, its Cache-Control kept; without them they are added")
    func servingFieldsOnce() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        func values(_ response: TestResponse, _ name: String) -> [String] {
            response.headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }
        let target = "/api/items/7?age=40&x_cache=origin&surrogate_control=max-age%3D9&cache_control=max-age%3D100"
        let miss = try await Self.get(fixture, target)
        let hit = try await Self.get(fixture, target)
        #expect(values(miss, "X-Cache") == ["MISS"] && values(hit, "X-Cache") == ["HIT"])
        #expect(values(hit, "Cache-Control") == ["max-age=100"])
        #expect(values(hit, "Surrogate-Control").count == 1 && values(hit, "Surrogate-Control") != ["max-age=9"])
        let age = try #require(values(hit, "Age").first.flatMap(Int.init))
        #expect(values(hit, "Age").count == 1 && age >= 40)
        // An upstream setting none of them: each added once on a hit.
        _ = try await Self.get(fixture, "/api/items/8")
        let plain = try await Self.get(fixture, "/api/items/8")
        #expect(values(plain, "X-Cache") == ["HIT"] && values(plain, "Age").count == 1)
        #expect(values(plain, "Cache-Control") == ["public, max-age=300"] && values(plain, "Surrogate-Control").count == 1)
    }

    @Test("hits after the first write the entry's encoded head: the same fields in the same order, only the age and freshness moving on")
    func encodedHeadsAsBuilt() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let fields = Self.hitFields
        let targets: [(String, [(String, String)])] = [
            ("/api/items/e1", []),
            ("/api/items/e2?age=40&x_cache=origin&surrogate_control=max-age%3D9&cache_control=max-age%3D100&etag=%22e%22", []),
            ("/api/mine/e3", [("X-API-Key", "cache-test-key-ada-01")]),
        ]
        for (target, credentials) in targets {
            let sameID = credentials + [("X-Request-ID", "encoded-head-test-1")]
            #expect(try await Self.get(fixture, target, sameID).header("X-Cache") == "MISS")
            let built = try await Self.get(fixture, target, sameID)  // the first hit builds its head field by field
            #expect(built.header("X-Cache") == "HIT" && built.header("X-Request-ID") == "encoded-head-test-1")
            for _ in 0 ..< 2 {
                let encoded = try await Self.get(fixture, target, sameID)
                #expect(encoded.status == built.status && encoded.body == built.body)
                #expect(fields(encoded) == fields(built), "\(target)")
            }
            // Its own request id goes in the gap.
            let other = try await Self.get(fixture, target, credentials)
            #expect(other.header("X-Request-ID") != "encoded-head-test-1" && other.header("X-Request-ID")?.isEmpty == false)
            #expect(fields(other).filter { !$0.hasPrefix("X-Request-ID") } == fields(built).filter { !$0.hasPrefix("X-Request-ID") })
        }
        // Requests that change the head still get their own: HEAD, HTTP/1.0, a conditional GET.
        let head = try await TestHTTP.request("HEAD", "/api/items/e1", port: fixture.port)
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") != nil)
        let old = try await TestHTTP.raw("GET /api/items/e1 HTTP/1.0\r\nHost: x\r\n\r\n", port: fixture.port) { $0.contains("\"path\"") }
        #expect(old.hasPrefix("HTTP/1.0 200") && old.contains("X-Cache: HIT") && !old.contains("Connection: keep-alive"))
        let tag = try #require(try await Self.get(fixture, "/api/items/e2?age=40&x_cache=origin&surrogate_control=max-age%3D9&cache_control=max-age%3D100&etag=%22e%22").header("ETag"))
        let conditional = try await Self.get(
            fixture, "/api/items/e2?age=40&x_cache=origin&surrogate_control=max-age%3D9&cache_control=max-age%3D100&etag=%22e%22", [("If-None-Match", tag)]
        )
        #expect(conditional.status == 304 && conditional.body.isEmpty)
    }

    @Test("Cache-Control: no-store, private and Set-Cookie are not stored; s-maxage and max-age set the freshness; a client's no-cache refetches")
    func cacheControl() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        for (index, query) in ["cache_control=no-store", "cache_control=private,%20max-age%3D60", "set_cookie=1"].enumerated() {
            _ = try await Self.get(fixture, "/api/items/nc\(index)?\(query)")
            let again = try await Self.get(fixture, "/api/items/nc\(index)?\(query)")
            #expect(again.header("X-Cache") == "MISS", "\(query)")
            #expect(try await Self.fetches(fixture, "/cacheable/items/nc\(index)") == 2, "\(query)")
        }
        let shared = try await Self.get(fixture, "/api/items/s?cache_control=max-age%3D10,%20s-maxage%3D99")
        #expect(shared.header("Surrogate-Control") == "max-age=99")
        #expect(try await Self.get(fixture, "/api/items/s?cache_control=max-age%3D10,%20s-maxage%3D99").header("X-Cache") == "HIT")

        _ = try await Self.get(fixture, "/api/items/refresh")
        let refreshed = try await Self.get(fixture, "/api/items/refresh", [("Cache-Control", "no-cache")])
        #expect(refreshed.header("X-Cache") == "MISS")
        #expect(try await Self.fetches(fixture, "/cacheable/items/refresh") == 2)
        let bypassed = try await Self.get(fixture, "/api/items/refresh", [("Cache-Control", "no-store")])
        #expect(bypassed.header("X-Cache") == "BYPASS")
        #expect(try await Self.get(fixture, "/api/items/refresh").header("X-Cache") == "HIT")
    }

    @Test("a stale entry with an ETag is revalidated: the upstream answers 304 and the stored body is served as EXPIRED; clients' own validators get 304s")
    func revalidation() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let target = "/api/items/r?cache_control=max-age%3D0&etag=%22v1%22"
        let first = try await Self.get(fixture, target)
        #expect(first.header("X-Cache") == "MISS")
        let second = try await Self.get(fixture, target)
        #expect(second.status == 200)
        #expect(second.header("X-Cache") == "EXPIRED")
        #expect(second.text == first.text)  // the stored body: the upstream only said 304
        let stats = try await TestHTTP.request("GET", "/_demo/stats", port: fixture.upstreams[0].port).json()
        #expect(stats["cacheable_not_modified"] as? Int == 1)

        _ = try await Self.get(fixture, "/api/items/etag?etag=%22v7%22")
        let conditional = try await Self.get(fixture, "/api/items/etag?etag=%22v7%22", [("If-None-Match", "W/\"v7\"")])
        #expect(conditional.status == 304 && conditional.header("X-Cache") == "HIT" && conditional.body.isEmpty)
        #expect(try await Self.fetches(fixture, "/cacheable/items/etag") == 1)
    }

    @Test("authenticated requests share nothing unless the upstream says public or vary_by names the consumer")
    func perConsumerEntries() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let ada = [("X-API-Key", "cache-test-key-ada-01")]
        let bea = [("X-API-Key", "cache-test-key-bea-01")]
        _ = try await Self.get(fixture, "/api/shared/1", ada)
        #expect(try await Self.get(fixture, "/api/shared/1", ada).header("X-Cache") == "MISS")
        _ = try await Self.get(fixture, "/api/shared/2?cache_control=public", ada)
        #expect(try await Self.get(fixture, "/api/shared/2?cache_control=public", bea).header("X-Cache") == "HIT")

        let adaFirst = try await Self.get(fixture, "/api/mine/1", ada)
        #expect(adaFirst.header("Cache-Control") == "private, max-age=300")
        #expect(adaFirst.header("Surrogate-Control") == nil)
        #expect(try await Self.get(fixture, "/api/mine/1", ada).header("X-Cache") == "HIT")
        #expect(try await Self.get(fixture, "/api/mine/1", bea).header("X-Cache") == "MISS")
        #expect(try await Self.get(fixture, "/api/mine/1").status == 401)  // the cache never answers before authentication
        #expect(try await Self.fetches(fixture, "/cacheable/mine/1") == 2)
    }

    @Test("the upstream's Vary splits entries; Cache-Tag and Surrogate-Key are kept for invalidation but not shown")
    func varyAndTags() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let target = "/api/items/v?vary=Accept-Language&cache_tag=wedding-1,rsvps&surrogate_key=vendor-9"
        let english = try await Self.get(fixture, target, [("Accept-Language", "en")])
        #expect(english.header("Cache-Tag") == nil && english.header("Surrogate-Key") == nil)
        #expect(try await Self.get(fixture, target, [("Accept-Language", "en")]).header("X-Cache") == "HIT")
        #expect(try await Self.get(fixture, target, [("Accept-Language", "fr")]).header("X-Cache") == "MISS")
        #expect(try await Self.get(fixture, target, [("Accept-Language", "fr")]).header("X-Cache") == "HIT")
    }

    @Test("concurrent misses for one entry make one upstream request")
    func coalescing() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
            for _ in 0 ..< 12 { group.addTask { try await Self.get(fixture, "/api/items/slow?delay_ms=700") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(responses.allSatisfy { $0.status == 200 })
        #expect(Set(responses.map(\.text)).count == 1)
        #expect(responses.filter { $0.header("X-Cache") == "MISS" }.count == 1)
        #expect(try await Self.fetches(fixture, "/cacheable/items/slow") == 1)
    }

    @Test("a successful PUT or POST on the resource invalidates its cached GETs (invalidate_on), recorded as CacheInvalidated")
    func invalidateOnWrite() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        _ = try await Self.get(fixture, "/api/items/7")
        _ = try await Self.get(fixture, "/api/items/7?view=full")
        #expect(try await Self.get(fixture, "/api/items/7").header("X-Cache") == "HIT")
        let put = try await TestHTTP.request("PUT", "/api/items/7", port: fixture.port, body: Data("{}".utf8))
        #expect(put.status == 200)
        #expect(try await Self.get(fixture, "/api/items/7").header("X-Cache") == "MISS")
        #expect(try await Self.get(fixture, "/api/items/7?view=full").header("X-Cache") == "MISS")
        // A write elsewhere leaves it alone; a failed write invalidates nothing.
        _ = try await TestHTTP.request("POST", "/api/items/8/notes", port: fixture.port, body: Data("{}".utf8))
        #expect(try await Self.get(fixture, "/api/items/7").header("X-Cache") == "HIT")
        fixture.stop()
        let invalidations = try fixture.controlEvents().compactMap { event -> CacheInvalidation? in
            if case .cacheInvalidated(let invalidation) = event { return invalidation }
            return nil
        }
        #expect(invalidations == [CacheInvalidation(selector: "method:PUT /api/items/7", count: 2, bytes: invalidations.first?.bytes ?? -1)])
        #expect((invalidations.first?.bytes ?? 0) > 0)
    }
}
