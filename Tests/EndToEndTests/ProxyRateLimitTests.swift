import Foundation
import GatehouseCore
import GatehouseTesting
import RawStructuredFieldValues
import Testing

/// Rate limits on real traffic: the spec's "150 rapid requests with one key" case, the headers
/// (parsed by an independent Structured Fields parser), shadow mode and route limits.
@Suite("proxy: rate limits", .serialized)
struct ProxyRateLimitTests {
    static let routes = [
        #"{ route_path: "/api/weddings/{id}", route_method: GET, service: demo, upstream_path: "/echo/weddings/{id}", auth_requirements: { required: true } }"#,
        #"{ route_path: "/api/rsvps", route_method: POST, service: demo, upstream_path: "/echo/rsvps", rate_limit_config: { requests_per_minute: 3 } }"#,
    ]

    /// One key per tier: `basic` allows 100 requests (a 100-request burst refilling at 1/s and
    /// 100 per minute, hour and day), `standard` the same in shadow mode.
    static let configuration = """
    rate_limit_policies:
      - { policy_name: basic-tier, tier: basic, requests_per_second: 1, burst_limit: 100, requests_per_minute: 100, requests_per_hour: 100, requests_per_day: 100, blocked_duration_seconds: 0 }
      - { policy_name: standard-shadow, tier: standard, requests_per_second: 1, burst_limit: 100, requests_per_minute: 100, requests_per_hour: 100, requests_per_day: 100, enforcement: shadow }
    api_keys:
      - { key_name: basic, key: basic-tier-key-00001, owner_id: ada, rate_limit_tier: basic }
      - { key_name: shadow, key: shadow-tier-key-0001, owner_id: bea, rate_limit_tier: standard }
      - { key_name: quota, key: daily-quota-key-0001, owner_id: cal, rate_limit_tier: enterprise, usage_quota: { daily: 5, monthly: 1000 } }
    """

    static func parameters(_ item: ItemOrInnerList) -> (name: String, values: [String: Int64])? {
        guard case .item(let item) = item, case .string(let name) = item.rfc9651BareItem else { return nil }
        var values: [String: Int64] = [:]
        for index in item.rfc9651Parameters.indices {
            let (key, value) = item.rfc9651Parameters[index]
            if case .integer(let number) = value { values[key] = number }
        }
        return (name, values)
    }

    @Test("150 rapid requests with one key: exactly the first 100 pass, then 429s naming the policy and window")
    func rapidRequests() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, routes: Self.routes, topLevelYAML: Self.configuration)
        defer { fixture.tearDown() }
        var statuses: [Int] = []
        var first: TestResponse?
        var refused: TestResponse?
        for index in 0 ..< 150 {
            let response = try await TestHTTP.request("GET", "/api/weddings/w\(index)", port: fixture.port, headers: [("X-API-Key", "basic-tier-key-00001")])
            statuses.append(response.status)
            if index == 0 { first = response }
            if response.status == 429, refused == nil { refused = response }
        }
        #expect(statuses.prefix(100).allSatisfy { $0 == 200 })
        #expect(statuses.suffix(50).allSatisfy { $0 == 429 })

        let allowed = try #require(first)
        var policyParser = StructuredFieldValueParser(Array(try #require(allowed.header("RateLimit-Policy")).utf8))
        let policies = try policyParser.parseListFieldValue().compactMap(Self.parameters)
        #expect(policies.map(\.name) == ["basic-tier-second", "basic-tier-minute", "basic-tier-hour", "basic-tier-day"])
        #expect(policies.map { $0.values["q"] ?? -1 } == [100, 100, 100, 100])
        #expect(policies.map { $0.values["w"] ?? -1 } == [1, 60, 3600, 86_400])
        var stateParser = StructuredFieldValueParser(Array(try #require(allowed.header("RateLimit")).utf8))
        let states = try stateParser.parseListFieldValue().compactMap(Self.parameters)
        #expect(states.count == 4 && states.allSatisfy { $0.values["r"] == 99 && ($0.values["t"] ?? -1) >= 0 })
        #expect(allowed.header("X-RateLimit-Limit") == "100")
        #expect(allowed.header("X-RateLimit-Remaining") == "99")

        let limited = try #require(refused)
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(limited.header("X-RateLimit-Remaining") == "0")
        let body = try limited.json()
        #expect(body["code"] as? String == "rate_limited")
        #expect(body["policy"] as? String == "basic-tier")
        #expect(["second", "minute", "hour", "day"].contains(body["window"] as? String ?? ""))
        #expect(body["limit"] as? Int == 100)
        #expect(body["request_id"] as? String == limited.header("X-Request-ID"))

        fixture.stop()
        let outcomes = try fixture.outcomes()
        #expect(outcomes.filter { $0.decision == .rateLimited }.count == 50)
        let last = try #require(outcomes.last)
        #expect(last.rules.count == 4 && last.rules.allSatisfy { $0.limit == 100 && $0.enforced })
    }

    @Test("shadow mode passes everything and records what it would have refused")
    func shadowMode() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, routes: Self.routes, topLevelYAML: Self.configuration)
        defer { fixture.tearDown() }
        for index in 0 ..< 120 {
            let response = try await TestHTTP.request("GET", "/api/weddings/w\(index)", port: fixture.port, headers: [("X-API-Key", "shadow-tier-key-0001")])
            #expect(response.status == 200)
            #expect(response.header("RateLimit") == nil)
        }
        fixture.stop()
        let outcomes = try fixture.outcomes()
        #expect(outcomes.filter { $0.decision == .shadowWouldLimit }.count == 20)
        #expect(outcomes.allSatisfy { $0.rules.allSatisfy { !$0.enforced } })
    }

    @Test("a route limit counts anonymous callers by address, and applies per route")
    func routeLimit() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, routes: Self.routes, topLevelYAML: Self.configuration)
        defer { fixture.tearDown() }
        var responses: [TestResponse] = []
        for _ in 0 ..< 5 { responses.append(try await TestHTTP.request("POST", "/api/rsvps", port: fixture.port, body: Data("{}".utf8))) }
        #expect(responses.map(\.status) == [200, 200, 200, 429, 429])
        #expect(try responses[3].json()["window"] as? String == "minute")
        #expect(try responses[3].json()["policy"] as? String == "route POST /api/rsvps")
        #expect(responses[0].header("RateLimit-Policy")?.hasPrefix(#""route-minute";q=3;w=60"#) == true, "short names in every response")
        // Another route is not affected.
        #expect(try await TestHTTP.request("GET", "/api/weddings/w1", port: fixture.port, headers: [("X-API-Key", "basic-tier-key-00001")]).status == 200)
    }

    @Test("a daily quota survives a restart exactly: it is rebuilt from the outcome log")
    func quotaAcrossRestart() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, routes: Self.routes, topLevelYAML: Self.configuration)
        defer { fixture.tearDown() }
        let key = [("X-API-Key", "daily-quota-key-0001")]
        for index in 0 ..< 3 {
            #expect(try await TestHTTP.request("GET", "/api/weddings/q\(index)", port: fixture.port, headers: key).status == 200)
        }
        fixture.gateway.stop()
        let yaml = try String(contentsOfFile: fixture.gateway.data + ".yaml", encoding: .utf8)
        let restarted = try GatewayUnderTest.start(configuration: yaml, data: fixture.gateway.data)
        defer { restarted.stop() }
        #expect(restarted.process.output.contains { $0.contains("\"event\":\"quota_usage_loaded\"") && $0.contains("\"keys\":1") })
        var statuses: [Int] = []
        var last: TestResponse?
        for index in 3 ..< 7 {
            let response = try await TestHTTP.request("GET", "/api/weddings/q\(index)", port: restarted.port, headers: key)
            statuses.append(response.status)
            last = response
        }
        #expect(statuses == [200, 200, 429, 429])
        let refused = try #require(last)
        #expect(try refused.json()["code"] as? String == "quota_exceeded")
        #expect(try refused.json()["window"] as? String == "daily")
        #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(refused.header("RateLimit-Policy")?.contains(#""quota-daily";q=5;w=86400"#) == true)
    }
}
