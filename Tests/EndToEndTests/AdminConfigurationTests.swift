import Foundation
import GatehouseTesting
import Testing

/// The admin API's configuration endpoints against a running gateway: every write goes through
/// the log into the proxy's snapshot; every refusal is the spec's JSON error with the right status.
@Suite("Admin API: configuration", .serialized)
struct AdminConfigurationTests {
    @Test("credentials are required, and errors carry the spec's body and the request id")
    func authenticationAndErrorShape() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let anonymous = try await fixture.admin.with(bearer: nil).call("GET", "/api/gateway/config", headers: [("X-Request-ID", "trace-123")])
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(anonymous.header("X-Request-ID") == "trace-123")
        let body = try anonymous.json()
        #expect(body["code"] as? String == "authentication_required")
        #expect(body["request_id"] as? String == "trace-123")
        #expect(body["error"] is String && body["timestamp"] is String)
        let wrong = try await fixture.admin.with(bearer: "not-the-token").call("GET", "/api/gateway/config")
        #expect(wrong.status == 401)
        #expect(try wrong.json()["code"] as? String == "invalid_credentials")
        let unknown = try await fixture.admin.call("GET", "/api/gateway/nothing-here")
        #expect(unknown.status == 404)
        #expect(try unknown.json()["code"] as? String == "route_not_found")
        let patch = try await fixture.admin.call("PATCH", "/api/gateway/config")
        #expect(patch.status == 405)
        #expect(patch.header("Allow") == "GET, POST")
        let open = try await fixture.admin.with(bearer: nil).call("GET", "/healthz")
        #expect(open.status == 200)
    }

    @Test("gateways: create, read with ETag, partial update, If-Match, validation, removal")
    func gatewayLifecycle() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let admin = fixture.admin
        let created = try await admin.call("POST", "/api/gateway/config", json: #"{"name": "vendors-gw", "base_url": "http://vendors.localhost:8080", "timeout_config": {"connect": 2500}}"#)
        #expect(created.status == 201)
        let gateway = try created.json().object("gateway")
        let id = try #require(gateway["id"] as? String)
        #expect(gateway["load_balancing_strategy"] as? String == "round_robin")
        #expect(gateway.object("timeout_config")["connect"] as? Int == 2500)
        #expect(gateway.object("timeout_config")["read"] as? Int == 30000)
        let etag = try #require(created.header("ETag"))

        let listed = try await admin.object("GET", "/api/gateway/config")
        let names = (listed["gateways"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.sorted() == ["vendors-gw", "wedsync-api-gateway"])
        let fixtureGateway = try #require((listed["gateways"] as? [[String: Any]])?.first { $0["name"] as? String == "wedsync-api-gateway" })
        #expect(fixtureGateway["total_routes"] as? Int == ProxyFixture.standardRoutes.count)
        #expect((fixtureGateway["backend_services"] as? [[String: Any]])?.count == 1)
        #expect(fixtureGateway["total_requests_today"] is Int && fixtureGateway["average_response_time"] != nil)

        let updated = try await admin.call("PUT", "/api/gateway/config/\(id)", json: #"{"description": "vendor integrations"}"#, headers: [("If-Match", etag)])
        #expect(updated.status == 200)
        let after = try updated.json().object("gateway")
        #expect(after["description"] as? String == "vendor integrations")
        #expect(after.object("timeout_config")["connect"] as? Int == 2500)
        #expect(updated.header("ETag") != etag)

        let stale = try await admin.call("PUT", "/api/gateway/config/\(id)", json: #"{"description": "lost update"}"#, headers: [("If-Match", etag)])
        #expect(stale.status == 412)
        #expect(try stale.json()["code"] as? String == "revision_mismatch")
        let reread = try await admin.object("GET", "/api/gateway/config/\(id)")
        #expect(reread.object("gateway")["description"] as? String == "vendor integrations")

        let refusals: [(String, Int, String, String?)] = [
            (#"{"name": "x", "base_url": "http://x", "colour": "red"}"#, 400, "unknown_field", "colour"),
            (#"{"name": "x", "base_url": "http://x", "cors_config": {"allowed_origin": []}}"#, 400, "unknown_field", "cors_config.allowed_origin"),
            (#"{"name": 7, "base_url": "http://x"}"#, 400, "invalid_type", "name"),
            (#"{"base_url": "http://x"}"#, 400, "missing_field", "name"),
            (#"{"name": "x", "base_url": "http://x", "load_balancing_strategy": "random"}"#, 400, "invalid_value", "load_balancing_strategy"),
            (#"{"name": "x", "base_url": "http://x", "health_check_interval": 0}"#, 422, "invalid_field", "health_check_interval"),
            (#"{"name": "vendors-gw", "base_url": "http://x"}"#, 409, "duplicate", "name"),
            (#"[1, 2]"#, 400, "invalid_json", nil),
            (#"{"name": "#, 400, "invalid_json", nil),
        ]
        for (body, status, code, field) in refusals {
            let response = try await admin.call("POST", "/api/gateway/config", json: body)
            #expect(response.status == status, "\(body)")
            let error = try response.json()
            #expect(error["code"] as? String == code, "\(body)")
            #expect(error["field"] as? String == field, "\(body)")
        }
        let count = try await admin.object("GET", "/api/gateway/config")["gateways"] as? [Any]
        #expect(count?.count == 2)

        #expect(try await admin.call("DELETE", "/api/gateway/config/\(id)").status == 204)
        #expect(try await admin.call("GET", "/api/gateway/config/\(id)").status == 404)
        #expect(try await admin.call("GET", "/api/gateway/config/not-a-uuid").status == 404)
    }

    @Test("services and routes written through the API are what the proxy serves")
    func routesDriveTheProxy() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let admin = fixture.admin
        let gateway = try await fixture.gatewayID()
        let upstream = fixture.proxy.upstreams[0].url
        let service = try await admin.object(
            "POST", "/api/gateway/\(gateway)/services", json: #"{"service_name": "rsvps", "service_url": "\#(upstream)", "weight": 50}"#, expect: 201
        ).object("backend_service")
        let serviceID = try #require(service["id"] as? String)
        #expect(service["health_check_endpoint"] as? String == "/health")
        let route = try await admin.object(
            "POST", "/api/gateway/\(gateway)/routes",
            json: #"{"route_path": "/api/rsvps/{rsvpId}", "route_method": "get", "backend_service_id": "\#(serviceID)", "upstream_path": "/echo/rsvp/{rsvpId}"}"#,
            expect: 201
        ).object("route")
        let routeID = try #require(route["id"] as? String)
        #expect(route["route_method"] as? String == "GET")
        #expect(route.object("backend_service")["service_name"] as? String == "rsvps")

        let proxied = try await TestHTTP.request("GET", "/api/rsvps/77", port: fixture.proxy.port)
        #expect(proxied.status == 200)
        #expect(try proxied.json()["path"] as? String == "/echo/rsvp/77")

        let duplicate = try await admin.call(
            "POST", "/api/gateway/\(gateway)/routes", json: #"{"route_path": "/api/rsvps/{rsvpId}", "route_method": "GET", "backend_service_id": "\#(serviceID)"}"#
        )
        #expect(duplicate.status == 409)
        let dangling = try await admin.call(
            "POST", "/api/gateway/\(gateway)/routes", json: #"{"route_path": "/api/x", "route_method": "GET", "backend_service_id": "\#(UUID().uuidString)"}"#
        )
        #expect(dangling.status == 422)
        #expect(try dangling.json()["code"] as? String == "reference_not_found")
        let inUse = try await admin.call("DELETE", "/api/gateway/\(gateway)/services/\(serviceID)")
        #expect(inUse.status == 409)
        #expect(try inUse.json()["code"] as? String == "in_use")

        // The outcome reaches the route's 24-hour stats once the recorder has committed it.
        var total = 0
        for _ in 0 ..< 50 where total == 0 {
            let routes = try await admin.object("GET", "/api/gateway/\(gateway)/routes?method=GET")["routes"] as? [[String: Any]] ?? []
            total = routes.first { $0["id"] as? String == routeID }?.object("performance_stats")["total_requests_24h"] as? Int ?? 0
            if total == 0 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(total == 1)

        let disabled = try await admin.object("PUT", "/api/gateway/routes/\(routeID)", json: #"{"is_enabled": false}"#).object("route")
        #expect(disabled["is_enabled"] as? Bool == false)
        #expect(disabled["upstream_path"] as? String == "/echo/rsvp/{rsvpId}")
        #expect(try await TestHTTP.request("GET", "/api/rsvps/77", port: fixture.proxy.port).status == 404)

        #expect(try await admin.call("DELETE", "/api/gateway/routes/\(routeID)").status == 204)
        #expect(try await admin.call("DELETE", "/api/gateway/\(gateway)/services/\(serviceID)").status == 204)
        let health = try await admin.object("GET", "/api/gateway/\(gateway)/health")
        #expect(health.object("gateway_health")["total_services"] as? Int == 1)
        #expect(["healthy", "degraded", "unhealthy"].contains(health.object("gateway_health")["status"] as? String ?? ""))
    }

    @Test("rate-limit policies and API versions: CRUD, deprecation and sunset")
    func policiesAndVersions() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let admin = fixture.admin
        let policy = try await admin.object(
            "POST", "/api/gateway/rate-limit-policies",
            json: #"{"policy_name": "wedding-day", "tier": "premium", "requests_per_second": 50, "requests_per_minute": 1000, "requests_per_hour": 20000, "requests_per_day": 100000}"#,
            expect: 201
        ).object("rate_limit_policy")
        let policyID = try #require(policy["id"] as? String)
        let inverted = try await admin.call("PUT", "/api/gateway/rate-limit-policies/\(policyID)", json: #"{"requests_per_minute": 10}"#)
        #expect(inverted.status == 422)
        #expect(try inverted.json()["field"] as? String == "requests_per_minute")
        let listed = try await admin.object("GET", "/api/gateway/rate-limit-policies")
        #expect(listed["total_count"] as? Int == 1)
        #expect(try await admin.call("DELETE", "/api/gateway/rate-limit-policies/\(policyID)").status == 204)

        let gateway = try await fixture.gatewayID()
        let v1 = try await admin.object(
            "POST", "/api/gateway/\(gateway)/versions", json: #"{"version_name": "v1", "version_number": "1.0.0"}"#, expect: 201
        ).object("api_version")
        let v1ID = try #require(v1["id"] as? String)
        _ = try await admin.object("POST", "/api/gateway/\(gateway)/versions", json: #"{"version_name": "v2", "version_number": "2.0.0", "is_default": true}"#, expect: 201)
        let deprecated = try await admin.object(
            "POST", "/api/gateway/versions/\(v1ID)/deprecate", json: #"{"sunset_date": "2027-06-01T00:00:00Z"}"#
        ).object("api_version")
        #expect(deprecated["is_deprecated"] as? Bool == true)
        #expect(deprecated["sunset_date"] as? String == "2027-06-01T00:00:00Z")
        let sunset = try await admin.object("POST", "/api/gateway/versions/\(v1ID)/sunset").object("api_version")
        #expect((sunset["sunset_date"] as? String ?? "9") < "2027")
        let versions = try await admin.object("GET", "/api/gateway/\(gateway)/versions")
        #expect(versions["total_count"] as? Int == 2)
    }
}
