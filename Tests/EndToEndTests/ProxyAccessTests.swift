import Crypto
import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// API keys and route `auth_requirements` enforced on the proxy path, end to end.
@Suite("proxy: API keys and authorization", .serialized)
struct ProxyAccessTests {
    static let routes = [
        #"{ route_path: "/api/private/{id}", route_method: GET, service: demo, upstream_path: "/echo/private/{id}", auth_requirements: { required: true, scopes: ["read:weddings"] } }"#,
        #"{ route_path: "/api/planners/{id}", route_method: DELETE, service: demo, upstream_path: "/echo/planners/{id}", auth_requirements: { required: true, roles: [planner] } }"#,
        #"{ route_path: "/api/open/*", route_method: ANY, service: demo, upstream_path: "/echo/*", middleware_config: [{ name: security_headers, config: { x_frame_options: SAMEORIGIN } }] }"#,
    ]
    static let keys = """
    api_keys:
      - { key_name: alice, key: alice-reader-key-0001, owner_id: alice, scopes: ["read:weddings"], metadata: { roles: [planner] } }
      - { key_name: bob, key: bob-no-scope-key-0001, owner_id: bob, owner_type: vendor, scopes: ["read:vendors"] }
      - { key_name: web, key: web-bound-key-00001, owner_id: carol, scopes: ["read:weddings"], allowed_origins: ["https://app.wedsync.example"] }
      - { key_name: old, key: expired-key-000001, owner_id: dave, scopes: ["read:weddings"], expires_at: "2020-01-01T00:00:00Z" }
    """

    @Test("missing, wrong, expired and revoked keys get 401; valid keys without the scope, role or origin get 403")
    func enforcement() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, routes: Self.routes, topLevelYAML: Self.keys)
        defer { fixture.tearDown() }
        func get(_ path: String, _ headers: [(String, String)] = []) async throws -> TestResponse {
            try await TestHTTP.request("GET", path, port: fixture.port, headers: headers)
        }
        let anonymous = try await get("/api/private/w1")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate") == #"Bearer realm="wedsync-api-gateway""#)
        #expect(try anonymous.json()["code"] as? String == "authentication_required")
        #expect(try anonymous.json()["request_id"] as? String == anonymous.header("X-Request-ID"))

        let wrong = try await get("/api/private/w1", [("X-API-Key", "not-a-key-at-all")])
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate") == #"Bearer realm="wedsync-api-gateway", error="invalid_token""#)
        #expect(try wrong.json()["code"] as? String == "invalid_api_key")
        #expect(try await get("/api/private/w1", [("X-API-Key", "expired-key-000001")]).json()["code"] as? String == "api_key_expired")

        let noScope = try await get("/api/private/w1", [("X-API-Key", "bob-no-scope-key-0001")])
        #expect(noScope.status == 403)
        #expect(noScope.header("WWW-Authenticate") == #"Bearer realm="wedsync-api-gateway", error="insufficient_scope", scope="read:weddings""#)
        #expect(try noScope.json()["code"] as? String == "insufficient_scope")
        let noRole = try await TestHTTP.request("DELETE", "/api/planners/p1", port: fixture.port, headers: [("X-API-Key", "bob-no-scope-key-0001")])
        #expect(noRole.status == 403)
        #expect(try noRole.json()["code"] as? String == "role_not_allowed")
        #expect(try await TestHTTP.request("DELETE", "/api/planners/p1", port: fixture.port, headers: [("X-API-Key", "alice-reader-key-0001")]).status == 200)

        #expect(try await get("/api/private/w1", [("X-API-Key", "web-bound-key-00001")]).status == 403)
        #expect(try await get("/api/private/w1", [("X-API-Key", "web-bound-key-00001"), ("Origin", "https://app.wedsync.example")]).status == 200)

        // Accepted from either field; the upstream sees who, never the key.
        for headers in [[("X-API-Key", "alice-reader-key-0001")], [("Authorization", "Bearer alice-reader-key-0001")]] {
            let allowed = try await get("/api/private/w1", headers + [("X-Consumer-ID", "forged")])
            #expect(allowed.status == 200)
            let seen = try allowed.json()["headers"] as? [String: [String]] ?? [:]
            #expect(seen["x-consumer-id"] == ["alice"])
            #expect(seen["x-api-key"] == nil && seen["authorization"] == nil)
        }
        // An open route passes the caller's own Authorization through untouched.
        let open = try await get("/api/open/x", [("Authorization", "Bearer upstream-session-token")])
        #expect(open.status == 200)
        #expect((try open.json()["headers"] as? [String: [String]])?["authorization"] == ["Bearer upstream-session-token"])

        // The key's last_used_at (a projection of the outcomes) shows the use once recorded.
        let admin = AdminClient(port: try #require(fixture.gateway.adminPort), bearer: fixture.gateway.adminToken)
        var keys: [[String: Any]] = []
        for _ in 0 ..< 50 where (keys.first?["last_used_at"] as? String) == nil {
            keys = try await admin.object("GET", "/api/gateway/api-keys?owner_id=alice")["api_keys"] as? [[String: Any]] ?? []
            if (keys.first?["last_used_at"] as? String) == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(keys.first?["last_used_at"] is String)
        // Revocation through the admin API takes effect on the next request.
        let aliceID = try #require(keys.first?["id"] as? String)
        #expect(try await admin.call("DELETE", "/api/gateway/api-keys/\(aliceID)").status == 204)
        let revoked = try await get("/api/private/w1", [("X-API-Key", "alice-reader-key-0001")])
        #expect(revoked.status == 401)
        #expect(try revoked.json()["code"] as? String == "api_key_revoked")

        // Every denial is an outcome saying which check failed and for which key prefix.
        fixture.stop()
        let outcomes = try fixture.outcomes()
        #expect(outcomes.filter { $0.decision == .unauthenticated }.count == 4)
        #expect(outcomes.filter { $0.decision == .forbidden }.count == 3)
        let scopeDenial = try #require(outcomes.first { $0.status == 403 && $0.path == "/api/private/w1" && $0.errorMessage?.contains("insufficient_scope") == true })
        #expect(scopeDenial.errorMessage?.contains("key bob-no-scope") == true)
        let allowed = outcomes.filter { $0.status == 200 && $0.path == "/api/private/w1" && $0.ownerID == "alice" }
        #expect(allowed.count == 2 && allowed.allSatisfy { $0.apiKeyID?.description == aliceID })
    }
}

/// The gateway's `cors_config` on real requests.
@Suite("proxy: CORS", .serialized)
struct ProxyCORSTests {
    @Test("preflights are answered by the gateway; responses, errors included, carry the CORS fields")
    func cors() async throws {
        let fixture = try ProxyFixture.start(
            upstreams: 1, routes: ProxyAccessTests.routes,
            gatewayFields: [#"cors_config: { allowed_origins: ["https://app.wedsync.example"], allowed_methods: [GET, DELETE], allowed_headers: [X-API-Key], credentials: true }"#],
            topLevelYAML: ProxyAccessTests.keys
        )
        defer { fixture.tearDown() }
        let origin = ("Origin", "https://app.wedsync.example")
        let preflight = try await TestHTTP.request(
            "OPTIONS", "/api/private/w1", port: fixture.port,
            headers: [origin, ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "x-api-key")]
        )
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://app.wedsync.example")
        #expect(preflight.header("Access-Control-Allow-Credentials") == "true")
        #expect(preflight.header("Access-Control-Allow-Headers") == "X-API-Key")

        let foreign = try await TestHTTP.request(
            "OPTIONS", "/api/private/w1", port: fixture.port, headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")]
        )
        #expect(foreign.status == 403)
        #expect(try foreign.json()["code"] as? String == "cors_origin_not_allowed")
        #expect(foreign.header("Access-Control-Allow-Origin") == nil)
        let noRoute = try await TestHTTP.request(
            "OPTIONS", "/api/private/w1", port: fixture.port, headers: [origin, ("Access-Control-Request-Method", "DELETE")]
        )
        #expect(noRoute.status == 404)

        let allowed = try await TestHTTP.request("GET", "/api/private/w1", port: fixture.port, headers: [origin, ("X-API-Key", "alice-reader-key-0001")])
        #expect(allowed.status == 200)
        #expect(allowed.header("Access-Control-Allow-Origin") == "https://app.wedsync.example")
        #expect(allowed.header("Access-Control-Expose-Headers")?.contains("X-Request-ID") == true)
        #expect(allowed.header("Vary")?.contains("Origin") == true)
        let denied = try await TestHTTP.request("GET", "/api/private/w1", port: fixture.port, headers: [origin])
        #expect(denied.status == 401)
        #expect(denied.header("Access-Control-Allow-Origin") == "https://app.wedsync.example")

        // Security headers: defaults on proxied answers, plus a strict CSP on the gateway's own;
        // a route's security_headers step changes them.
        #expect(allowed.header("X-Content-Type-Options") == "nosniff")
        #expect(allowed.header("X-Frame-Options") == "DENY")
        #expect(allowed.header("Referrer-Policy") == "strict-origin-when-cross-origin")
        #expect(allowed.header("Strict-Transport-Security") == nil)
        #expect(denied.header("Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'")
        #expect(try await TestHTTP.request("GET", "/api/open/x", port: fixture.port).header("X-Frame-Options") == "SAMEORIGIN")

        fixture.stop()
        #expect(try fixture.outcomes().filter { $0.decision == .preflight }.count == 1)
    }
}

/// Gateway and route `ip_restriction` rules, with client addresses from a trusted proxy's
/// `X-Forwarded-For`.
@Suite("proxy: IP restrictions", .serialized)
struct ProxyIPRestrictionTests {
    @Test("a gateway deny list and a route allow list, by the real client address")
    func rules() async throws {
        let fixture = try ProxyFixture.start(
            upstreams: 1,
            routes: [
                #"{ route_path: "/api/office/*", route_method: GET, service: demo, upstream_path: "/echo/*", middleware_config: [{ name: ip_restriction, config: { allow: ["10.0.0.0/8", "2001:db8::/32"] } }] }"#,
                #"{ route_path: "/api/public/*", route_method: GET, service: demo, upstream_path: "/echo/*" }"#,
            ],
            gatewayFields: [#"ip_restriction: { deny: ["198.51.100.7"] }"#],
            serveArguments: { _ in ["--trusted-proxy", "127.0.0.1"] }
        )
        defer { fixture.tearDown() }
        func status(_ path: String, from client: String) async throws -> (Int, String?) {
            let response = try await TestHTTP.request("GET", path, port: fixture.port, headers: [("X-Forwarded-For", client)])
            return (response.status, response.status == 403 ? try response.json()["code"] as? String : nil)
        }
        #expect(try await status("/api/office/a", from: "10.1.2.3") == (200, nil))
        #expect(try await status("/api/office/a", from: "2001:db8::42") == (200, nil))
        #expect(try await status("/api/office/a", from: "203.0.113.9") == (403, "ip_denied"))
        #expect(try await status("/api/public/a", from: "203.0.113.9") == (200, nil))
        #expect(try await status("/api/public/a", from: "198.51.100.7") == (403, "ip_denied"))
        fixture.stop()
        let denied = try fixture.outcomes().filter { $0.decision == .ipDenied }
        #expect(denied.map { $0.clientIP?.description } == ["203.0.113.9", "198.51.100.7"])
    }
}

/// A gateway's `jwt_config` on real requests.
@Suite("proxy: JWT", .serialized)
struct ProxyJWTTests {
    @Test("a valid token with the route's scope passes with its subject and claims forwarded; bad tokens get 401, missing scope 403")
    func tokens() async throws {
        let secret = "proxy-jwt-secret-0123456789abcdef"
        let fixture = try ProxyFixture.start(
            upstreams: 1, routes: ProxyAccessTests.routes,
            gatewayFields: [
                #"jwt_config: { providers: [{ issuer: "https://auth.wedsync.example", audiences: [gatehouse], hmac_keys: [{ kid: main, algorithm: HS256, secret_env: WEDSYNC_JWT_SECRET }], forward_claims: { email: X-User-Email } }] }"#,
            ],
            environment: ["WEDSYNC_JWT_SECRET": secret]
        )
        defer { fixture.tearDown() }
        let now = Int(Date().timeIntervalSince1970)
        func token(_ changes: [String: Any] = [:]) -> String {
            var claims: [String: Any] = [
                "iss": "https://auth.wedsync.example", "aud": "gatehouse", "sub": "couple-42", "exp": now + 600, "scope": "read:weddings",
                "email": "ada@example.com",
            ]
            for (name, value) in changes { claims[name] = value }
            return TestJWT.hs256(claims, secret: secret, kid: "main")
        }
        func get(_ bearer: String) async throws -> TestResponse {
            try await TestHTTP.request("GET", "/api/private/w1", port: fixture.port, headers: [("Authorization", "Bearer \(bearer)"), ("X-User-Email", "forged")])
        }
        let allowed = try await get(token())
        #expect(allowed.status == 200)
        let seen = try allowed.json()["headers"] as? [String: [String]] ?? [:]
        #expect(seen["x-consumer-id"] == ["couple-42"])
        #expect(seen["x-user-email"] == ["ada@example.com"])
        #expect(seen["authorization"]?.first?.hasPrefix("Bearer ey") == true)

        let expired = try await get(token(["exp": now - 3600]))
        #expect(expired.status == 401)
        #expect(try expired.json()["code"] as? String == "invalid_token")
        #expect(expired.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
        #expect(try await get(TestJWT.hs256(["sub": "x", "exp": now + 60, "iss": "https://auth.wedsync.example", "aud": "gatehouse"], secret: "wrong-secret", kid: "main")).status == 401)
        #expect(try await get(TestJWT.unsigned(["sub": "x", "exp": now + 60])).status == 401)
        let noScope = try await get(token(["scope": "read:vendors"]))
        #expect(noScope.status == 403)
        #expect(try noScope.json()["code"] as? String == "insufficient_scope")
        // Roles come from the token's claims.
        let planner = TestJWT.hs256(
            ["iss": "https://auth.wedsync.example", "aud": "gatehouse", "sub": "p1", "exp": now + 600, "roles": ["planner"]], secret: secret, kid: "main"
        )
        #expect(try await TestHTTP.request("DELETE", "/api/planners/p1", port: fixture.port, headers: [("Authorization", "Bearer \(planner)")]).status == 200)

        fixture.stop()
        let outcomes = try fixture.outcomes()
        #expect(outcomes.first { $0.status == 200 && $0.path == "/api/private/w1" }?.jwtSubject == "couple-42")
        #expect(outcomes.filter { $0.decision == .unauthenticated }.count == 3)
    }
}

/// `jwks_url`: keys fetched from the issuer, and fetched again when a token names a new key.
@Suite("proxy: JWKS by URL", .serialized)
struct ProxyJWKSTests {
    @Test("keys come from the issuer's URL; a rotated key is fetched when a token first names it")
    func rotation() async throws {
        let issuer = try DemoUpstream.start()
        defer { issuer.process.terminate() }
        let first = P256.Signing.PrivateKey(), second = P256.Signing.PrivateKey()
        func publish(_ keys: [[String: Any]]) async throws {
            let body = try JSONSerialization.data(withJSONObject: ["keys": keys])
            #expect(try await TestHTTP.request("PUT", "/_demo/jwks", port: issuer.port, body: body).status == 200)
        }
        try await publish([TestJWT.jwk(first, kid: "k1")])
        let fixture = try ProxyFixture.start(
            upstreams: 1, routes: ProxyAccessTests.routes,
            gatewayFields: [#"jwt_config: { providers: [{ issuer: "https://auth.wedsync.example", jwks_url: "\#(issuer.url)/.well-known/jwks.json" }] }"#]
        )
        defer { fixture.tearDown() }
        let now = Int(Date().timeIntervalSince1970)
        let claims: [String: Any] = ["iss": "https://auth.wedsync.example", "sub": "guest-9", "exp": now + 600, "scope": "read:weddings"]
        func status(_ token: String) async throws -> Int {
            try await TestHTTP.request("GET", "/api/private/w1", port: fixture.port, headers: [("Authorization", "Bearer \(token)")]).status
        }
        #expect(try await status(TestJWT.es256(claims, key: first, kid: "k1")) == 200)

        try await publish([TestJWT.jwk(second, kid: "k2")])
        let rotated = TestJWT.es256(claims, key: second, kid: "k2")
        var answer = try await status(rotated)
        for _ in 0 ..< 60 where answer != 200 {
            try await Task.sleep(for: .milliseconds(250))
            answer = try await status(rotated)
        }
        #expect(answer == 200)
        #expect(try await status(TestJWT.es256(claims, key: first, kid: "k1")) == 401)
    }
}

/// `oauth_introspection`: opaque tokens checked by the authorization server, answers cached.
@Suite("proxy: OAuth 2.0 introspection", .serialized)
struct ProxyIntrospectionTests {
    @Test("active tokens pass with their subject, inactive ones get 401, missing scope 403; answers are cached; a broken server fails closed")
    func introspection() async throws {
        let server = try DemoUpstream.start()
        defer { server.process.terminate() }
        let fixture = try ProxyFixture.start(
            upstreams: 1, routes: ProxyAccessTests.routes,
            gatewayFields: [#"oauth_introspection: { endpoint: "\#(server.url)/_demo/introspect", client_id: gatehouse, client_secret_env: WEDSYNC_INTROSPECTION_SECRET }"#],
            environment: ["WEDSYNC_INTROSPECTION_SECRET": "introspection-secret"]
        )
        defer { fixture.tearDown() }
        func get(_ token: String, _ path: String = "/api/private/w1", method: String = "GET") async throws -> TestResponse {
            try await TestHTTP.request(method, path, port: fixture.port, headers: [("Authorization", "Bearer \(token)")])
        }
        func calls() async throws -> Int { try await TestHTTP.request("GET", "/_demo/stats", port: server.port).json()["introspections"] as? Int ?? -1 }

        let allowed = try await get("opaque-ada")
        #expect(allowed.status == 200)
        #expect((try allowed.json()["headers"] as? [String: [String]])?["x-consumer-id"] == ["ada"])
        #expect(try await get("opaque-ada").status == 200)
        #expect(try await calls() == 1)
        #expect(try await get("opaque-ada", "/api/planners/p1", method: "DELETE").status == 200)
        #expect(try await calls() == 1)

        let inactive = try await get("revoked-token")
        #expect(inactive.status == 401)
        #expect(try inactive.json()["code"] as? String == "invalid_token")
        let noScope = try await get("opaque-noscope-bea")
        #expect(noScope.status == 403)
        #expect(try noScope.json()["code"] as? String == "insufficient_scope")
        #expect(try await calls() == 3)

        // An authorization server that is gone: fail closed, 503.
        server.process.terminate()
        let unavailable = try await get("opaque-new-token")
        #expect(unavailable.status == 503)
        #expect(try unavailable.json()["code"] as? String == "introspection_unavailable")
        // The cached answer still serves.
        #expect(try await get("opaque-ada").status == 200)
    }
}

/// A route's `request_signing`: HMAC signatures over the head, the body's digest, skew, replay.
@Suite("proxy: request signing", .serialized)
struct ProxySigningTests {
    @Test("a signed request passes once; replays, stale dates, tampered bodies and wrong secrets get 401")
    func signing() async throws {
        let fixture = try ProxyFixture.start(
            upstreams: 1,
            routes: [
                #"{ route_path: "/api/vendor-events", route_method: POST, service: demo, upstream_path: "/echo/vendor-events", middleware_config: [{ name: request_signing, config: { keys: [{ key_id: vendor-a, secret_env: VENDOR_A_SECRET }] } }] }"#,
            ],
            environment: ["VENDOR_A_SECRET": "vendor-a-shared-secret"]
        )
        defer { fixture.tearDown() }
        let host = "127.0.0.1:\(fixture.port)"
        let body = Data(#"{"event":"booking.confirmed","wedding":"w1"}"#.utf8)
        func send(_ fields: [(String, String)], body: Data = body) async throws -> TestResponse {
            try await TestHTTP.request("POST", "/api/vendor-events", port: fixture.port, headers: fields + [("Content-Type", "application/json")], body: body)
        }
        func signed(secret: String = "vendor-a-shared-secret", date: Date = Date()) -> [(String, String)] {
            TestSignature.fields(method: "POST", target: "/api/vendor-events", host: host, body: body, keyID: "vendor-a", secret: secret, date: date)
        }
        // Dates are fixed offsets from one instant, so no two signatures collide however slow the run.
        let start = Date()
        let fields = signed(date: start)
        let accepted = try await send(fields)
        #expect(accepted.status == 200)
        #expect(try accepted.json()["body_bytes"] as? Int == body.count)

        let replayed = try await send(fields)
        #expect(replayed.status == 401)
        #expect(try replayed.json()["error"] as? String == "this signature was already used")
        #expect(try await send(signed(date: start.addingTimeInterval(-3600))).status == 401)
        #expect(try await send(signed(secret: "guessed", date: start)).status == 401)
        let tampered = try await send(signed(date: start.addingTimeInterval(-7)), body: Data(#"{"event":"booking.cancelled","wedding":"w1"}"#.utf8))
        #expect(tampered.status == 401)
        #expect(try tampered.json()["error"] as? String == "the body does not match its Content-Digest")
        // A signed body larger than the replay buffer is held whole, checked, then forwarded.
        let large = Data(repeating: UInt8(ascii: "x"), count: 200_000)
        let largeFields = TestSignature.fields(
            method: "POST", target: "/api/vendor-events", host: host, body: large, keyID: "vendor-a", secret: "vendor-a-shared-secret",
            date: start.addingTimeInterval(-11)
        )
        let forwarded = try await send(largeFields, body: large)
        #expect(forwarded.status == 200)
        #expect(try forwarded.json()["body_bytes"] as? Int == large.count)
        // The README's worked example (curl + openssl) is accepted too.
        let script = try runProcess("/bin/bash", [Fixtures.root.appendingPathComponent("tools/sign-request.sh").path, host, "/api/vendor-events", "vendor-a", "vendor-a-shared-secret", #"{"event":"from-curl"}"#])
        #expect(script.status == 0, "\(script.standardError)")
        #expect(script.standardOutput.contains("\"body_bytes\":21"), "\(script.standardOutput)")
        let unsigned = try await send([])
        #expect(unsigned.status == 401)
        #expect(unsigned.header("WWW-Authenticate")?.hasPrefix("Signature") == true)
    }
}
