import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// API versions on the proxy path: negotiation by path, header and media type with the default
/// as fallback, RFC 9745/8594 deprecation fields, and 410 after the sunset date.
@Suite("proxy: API versions", .serialized)
struct ProxyVersionTests {
    static let versions = [
        "versions:",
        "  - { version_name: v1, version_number: 1.4.0, is_default: true }",
        #"  - { version_name: v2, version_number: 2.0.0, is_deprecated: true, deprecation_date: "2026-01-01T00:00:00Z", sunset_date: "2099-01-01T00:00:00Z", migration_guide: "https://docs.wedsync.example/migrate-v3" }"#,
        #"  - { version_name: v0, version_number: 0.9.0, is_deprecated: true, sunset_date: "2020-01-01T00:00:00Z", migration_guide: "https://docs.wedsync.example/migrate-v1" }"#,
    ]
    static let routes = [
        #"{ route_path: "/api/v1/weddings/{id}", route_method: GET, service: demo, upstream_path: "/echo/v1/weddings/{id}", version: v1 }"#,
        #"{ route_path: "/api/v2/weddings/{id}", route_method: GET, service: demo, upstream_path: "/echo/v2/weddings/{id}", version: v2 }"#,
        #"{ route_path: "/api/v0/weddings/{id}", route_method: GET, service: demo, upstream_path: "/echo/v0/weddings/{id}", version: v0 }"#,
        #"{ route_path: "/api/vendors", route_method: GET, service: demo, upstream_path: "/echo/vendors" }"#,
    ]

    static func upstreamPath(_ response: TestResponse) throws -> String? { try response.json()["path"] as? String }

    @Test("the version comes from the path, else API-Version / Accept-Version / the Accept media type, else the gateway's default")
    func negotiation() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, routes: Self.routes, gatewayFields: Self.versions)
        defer { fixture.tearDown() }
        func get(_ path: String, _ headers: [(String, String)] = []) async throws -> TestResponse {
            try await TestHTTP.request("GET", path, port: fixture.port, headers: headers)
        }
        let byPath = try await get("/api/v1/weddings/1")
        #expect(try Self.upstreamPath(byPath) == "/echo/v1/weddings/1")
        #expect(byPath.header("API-Version") == "v1" && byPath.header("Deprecation") == nil)
        #expect(try Self.upstreamPath(try await get("/api/weddings/1", [("API-Version", "2")])) == "/echo/v2/weddings/1")
        #expect(try Self.upstreamPath(try await get("/api/weddings/1", [("Accept-Version", "v1")])) == "/echo/v1/weddings/1")
        #expect(try Self.upstreamPath(try await get("/api/weddings/1", [("Accept", "application/vnd.wedsync.v2+json")])) == "/echo/v2/weddings/1")
        #expect(try Self.upstreamPath(try await get("/api/weddings/1", [("Accept", "application/json; version=1.4")])) == "/echo/v1/weddings/1")
        let byDefault = try await get("/api/weddings/1")
        #expect(try Self.upstreamPath(byDefault) == "/echo/v1/weddings/1")
        #expect(byDefault.header("API-Version") == "v1")
        // Unversioned routes serve every version; an unknown version is refused.
        #expect(try await get("/api/vendors", [("API-Version", "v2")]).status == 200)
        let unknown = try await get("/api/weddings/1", [("API-Version", "9")])
        #expect(unknown.status == 400)
        #expect(try unknown.json()["code"] as? String == "unknown_api_version")
        #expect(try unknown.json()["available_versions"] as? [String] == ["v0", "v1", "v2"])
    }

    @Test("a deprecated version answers with Deprecation, Sunset and Link; after its sunset date, 410 with the migration guide")
    func deprecationAndSunset() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, routes: Self.routes, gatewayFields: Self.versions)
        defer { fixture.tearDown() }
        let deprecated = try await TestHTTP.request("GET", "/api/v2/weddings/1", port: fixture.port)
        #expect(deprecated.status == 200)
        #expect(deprecated.header("Deprecation") == "@1767225600")
        #expect(deprecated.header("Sunset") == "Thu, 01 Jan 2099 00:00:00 GMT")
        let links = deprecated.headers.filter { $0.name.lowercased() == "link" }.map(\.value)
        #expect(links.contains(#"<https://docs.wedsync.example/migrate-v3>; rel="deprecation"; type="text/html""#))
        #expect(links.contains(#"<https://docs.wedsync.example/migrate-v3>; rel="sunset""#))

        let gone = try await TestHTTP.request("GET", "/api/v0/weddings/1", port: fixture.port)
        #expect(gone.status == 410)
        let body = try gone.json()
        #expect(body["code"] as? String == "version_sunset")
        #expect(body["migration_guide"] as? String == "https://docs.wedsync.example/migrate-v1")
        #expect(body["sunset_date"] as? String == "2020-01-01T00:00:00Z")
        #expect((body["error"] as? String)?.contains("https://docs.wedsync.example/migrate-v1") == true)
        #expect(gone.header("Sunset") == "Wed, 01 Jan 2020 00:00:00 GMT")
        fixture.stop()
        let outcome = try #require(try fixture.outcomes().first { $0.path == "/api/v0/weddings/1" })
        #expect(outcome.decision == .gone && outcome.status == 410 && outcome.backendServiceID == nil)
    }
}

extension ProxyVersionTests {
    /// 3,000 requests keep the suite light on a 2-core machine (the unit test runs the same
    /// rule over 10,000 consumers); the expected share is still within ±5% by a wide margin.
    @Test("a 30% rollout of v2 plus the enterprise tier: requests naming no version split by consumer within ±5% over 3,000 requests, sticky per consumer")
    func rollout() async throws {
        let fixture = try ProxyFixture.start(
            upstreams: 1,
            routes: [
                #"{ route_path: "/api/v1/weddings/{id}", route_method: GET, service: demo, upstream_path: "/echo/v1/weddings/{id}", version: v1 }"#,
                #"{ route_path: "/api/v2/weddings/{id}", route_method: GET, service: demo, upstream_path: "/echo/v2/weddings/{id}", version: v2 }"#,
            ],
            gatewayFields: [
                "versions:",
                "  - { version_name: v1, version_number: 1.4.0, is_default: true }",
                "  - { version_name: v2, version_number: 2.0.0, rollout: { percentage: 30, tiers: [enterprise] } }",
            ],
            serveArguments: { _ in ["--trusted-proxy", "127.0.0.1/32"] },
            topLevelYAML: """
            api_keys:
              - { key_name: big, key: rollout-enterprise-key1, owner_id: ada, rate_limit_tier: enterprise }
            """
        )
        defer { fixture.tearDown() }
        func version(forwardedFor address: String, headers: [(String, String)] = []) async throws -> String? {
            let response = try await TestHTTP.request("GET", "/api/weddings/1", port: fixture.port, headers: [("X-Forwarded-For", address)] + headers)
            return response.header("API-Version")
        }
        let addresses = (0 ..< 3_000).map { "10.\($0 / 65536).\($0 / 256 % 256).\($0 % 256)" }
        let versions = try await withThrowingTaskGroup(of: [String?].self) { group in
            for worker in 0 ..< 8 {
                group.addTask {
                    var seen: [String?] = []
                    for index in stride(from: worker, to: addresses.count, by: 8) { seen.append(try await version(forwardedFor: addresses[index])) }
                    return seen
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let onTwo = versions.filter { $0 == "v2" }.count
        #expect(versions.allSatisfy { $0 == "v1" || $0 == "v2" })
        #expect(abs(onTwo - 900) <= 150, "v2 served \(onTwo) of 3,000")
        for address in addresses.prefix(20) {
            let first = try await version(forwardedFor: address)
            #expect(try await version(forwardedFor: address) == first)
        }
        // The enterprise segment is always in; naming a version opts out of the rollout.
        let keyed = try await version(forwardedFor: "10.9.9.9", headers: [("X-API-Key", "rollout-enterprise-key1")])
        #expect(keyed == "v2")
        #expect(try await version(forwardedFor: "10.9.9.9", headers: [("X-API-Key", "rollout-enterprise-key1"), ("API-Version", "v1")]) == "v1")
    }
}
