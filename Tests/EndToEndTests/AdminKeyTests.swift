import Foundation
import GatehouseTesting
import Testing

/// API keys through the admin API, and the spec's row-level rules: admins see everything, an
/// API consumer only what it owns — and another owner's key is "not found", not "forbidden".
@Suite("Admin API: keys and roles", .serialized)
struct AdminKeyTests {
    @Test("a key's plaintext is returned once, never stored; consumers see only their own keys")
    func keysAndConsumerScoping() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let admin = fixture.admin
        let alice = try await admin.object(
            "POST", "/api/gateway/api-keys",
            json: #"{"key_name": "alice-mobile", "owner_id": "alice", "scopes": ["read:weddings"], "rate_limit_tier": "premium", "usage_quota": {"daily": 1000, "monthly": 20000}}"#,
            expect: 201
        ).object("api_key")
        let alicePlaintext = try #require(alice["api_key"] as? String)
        let aliceID = try #require(alice["id"] as? String)
        #expect(alicePlaintext.hasPrefix("gh_") && alicePlaintext.count == 46)
        #expect(alice["api_key_prefix"] as? String == String(alicePlaintext.prefix(12)))
        let bob = try await admin.object("POST", "/api/gateway/api-keys", json: #"{"key_name": "bob-vendor", "owner_id": "bob", "owner_type": "vendor"}"#, expect: 201)
            .object("api_key")
        let bobID = try #require(bob["id"] as? String)

        let all = try await admin.call("GET", "/api/gateway/api-keys")
        #expect(try all.json()["total_count"] as? Int == 2)
        #expect(!all.text.contains(alicePlaintext) && !all.text.contains("api_key_hash"))
        let listed = try #require((try all.json()["api_keys"] as? [[String: Any]])?.first { $0["id"] as? String == aliceID })
        #expect(listed.object("usage_quota")["daily"] as? Int == 1000)
        #expect(listed.object("usage_quota")["used_today"] as? Int == 0)

        // Alice, with her own key: her keys only; others' are not found; admin endpoints forbidden.
        let asAlice = admin.with(bearer: alicePlaintext)
        let mine = try await asAlice.object("GET", "/api/gateway/api-keys")
        #expect((mine["api_keys"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [aliceID])
        #expect(try await asAlice.call("GET", "/api/gateway/api-keys/\(bobID)").status == 404)
        #expect(try await asAlice.call("PUT", "/api/gateway/api-keys/\(bobID)", json: #"{"key_name": "hijacked"}"#).status == 404)
        #expect(try await asAlice.call("GET", "/api/gateway/api-keys/\(bobID)/usage").status == 404)
        let forbidden = try await asAlice.call("GET", "/api/gateway/config")
        #expect(forbidden.status == 403)
        #expect(try forbidden.json()["code"] as? String == "forbidden")
        let foreign = try await asAlice.call("POST", "/api/gateway/api-keys", json: #"{"key_name": "for-bob", "owner_id": "bob"}"#)
        #expect(foreign.status == 403)
        let second = try await asAlice.object("POST", "/api/gateway/api-keys", json: #"{"key_name": "alice-web"}"#, expect: 201).object("api_key")
        #expect(second["owner_id"] as? String == "alice")
        let usage = try await asAlice.object("GET", "/api/gateway/api-keys/\(aliceID)/usage")
        #expect(usage.object("usage_stats")["quota_remaining_today"] as? Int == 1000)
        #expect((usage["usage_history"] as? [Any])?.count == 30)

        // Rotation with a grace period: both keys work; revocation: neither does.
        let rotated = try await asAlice.object("POST", "/api/gateway/api-keys/\(aliceID)/rotate", json: #"{"grace_period_seconds": 3600}"#)
        let newPlaintext = try #require(rotated["new_api_key"] as? String)
        #expect(newPlaintext != alicePlaintext && rotated["rotated_at"] is String)
        #expect(try await admin.with(bearer: newPlaintext).call("GET", "/api/gateway/api-keys").status == 200)
        #expect(try await asAlice.call("GET", "/api/gateway/api-keys").status == 200)
        #expect(try await admin.call("DELETE", "/api/gateway/api-keys/\(aliceID)").status == 204)
        #expect(try await asAlice.call("GET", "/api/gateway/api-keys").status == 401)
        #expect(try await admin.with(bearer: newPlaintext).call("GET", "/api/gateway/api-keys", headers: []).status == 401)

        // No plaintext key or admin token anywhere in the data directory.
        fixture.proxy.stop()
        let secrets = [alicePlaintext, newPlaintext, try #require(fixture.admin.bearer)]
        for file in try FileManager.default.subpathsOfDirectory(atPath: fixture.proxy.gateway.data) {
            guard let data = FileManager.default.contents(atPath: fixture.proxy.gateway.data + "/" + file) else { continue }
            for secret in secrets { #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) holds a secret") }
        }
    }

    @Test("every change is in the audit trail with its actor")
    func auditRecordsActors() async throws {
        let fixture = try AdminAPIFixture.start()
        defer { fixture.tearDown() }
        let key = try await fixture.admin.object("POST", "/api/gateway/api-keys", json: #"{"key_name": "carol", "owner_id": "carol"}"#, expect: 201)
            .object("api_key")
        let plaintext = try #require(key["api_key"] as? String)
        let prefix = try #require(key["api_key_prefix"] as? String)
        _ = try await fixture.admin.with(bearer: plaintext).object("POST", "/api/gateway/api-keys", json: #"{"key_name": "carol-2"}"#, expect: 201)
        let audit = try runProcess(BuiltProducts.path(of: "gatehouse"), ["audit", "--data", fixture.proxy.gateway.data])
        #expect(audit.status == 0)
        #expect(audit.standardOutput.contains("admin:bootstrap"))
        #expect(audit.standardOutput.contains("key:\(prefix)"))
    }

    @Test("admin JWTs: a role claim makes an admin, none makes a consumer; bad signatures and expiry are refused")
    func adminJWTs() async throws {
        let secret = "jwt-secret-for-tests-0123456789abcdef"
        let fixture = try AdminAPIFixture.start(environment: ["GATEHOUSE_ADMIN_JWT_SECRET": secret, "GATEHOUSE_ADMIN_TOKEN": "bootstrap-from-env-0123456789"])
        defer { fixture.tearDown() }
        #expect(fixture.proxy.gateway.adminToken == nil)
        #expect(try await fixture.admin.call("GET", "/api/gateway/config").status == 200)
        let future = Int(Date().timeIntervalSince1970) + 600
        let apiAdmin = TestJWT.hs256(["sub": "dana", "role": "api_admin", "exp": future], secret: secret)
        #expect(try await fixture.admin.with(bearer: apiAdmin).call("GET", "/api/gateway/config").status == 200)
        let consumer = TestJWT.hs256(["sub": "erin", "exp": future], secret: secret)
        #expect(try await fixture.admin.with(bearer: consumer).call("GET", "/api/gateway/config").status == 403)
        let created = try await fixture.admin.with(bearer: consumer).object("POST", "/api/gateway/api-keys", json: #"{"key_name": "erin"}"#, expect: 201)
        #expect(created.object("api_key")["owner_id"] as? String == "erin")
        let expired = TestJWT.hs256(["sub": "dana", "role": "system_admin", "exp": future - 1200], secret: secret)
        #expect(try await fixture.admin.with(bearer: expired).call("GET", "/api/gateway/config").status == 401)
        let forged = TestJWT.hs256(["sub": "dana", "role": "system_admin", "exp": future], secret: "another-secret")
        let refused = try await fixture.admin.with(bearer: forged).call("GET", "/api/gateway/config")
        #expect(refused.status == 401)
        #expect(try refused.json()["code"] as? String == "invalid_token")
        let unsigned = TestJWT.unsigned(["sub": "dana", "role": "system_admin", "exp": future])
        #expect(try await fixture.admin.with(bearer: unsigned).call("GET", "/api/gateway/config").status == 401)
    }
}
