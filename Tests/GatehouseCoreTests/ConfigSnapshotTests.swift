import GatehouseCore
import GatehouseTesting
import Testing

@Suite("Config snapshot")
struct ConfigSnapshotTests {
    @Test("routes match by priority and specificity; 405 lists the allowed methods; disabled routes vanish")
    func routeMatching() throws {
        var scenario = ConfigScenario()
        let gateway = Samples.gateway()
        let service = Samples.service(gateway.id)
        try scenario.when(.createGateway(gateway))
        try scenario.when(.registerBackendService(service))
        var byID = Samples.route(gateway.id, service.id, "/api/v1/weddings/{weddingId}")
        byID.upstreamPath = "/weddings/{weddingId}"
        let literal = Samples.route(gateway.id, service.id, "/api/v1/weddings/featured")
        let put = Samples.route(gateway.id, service.id, "/api/v1/weddings/{weddingId}", method: .put)
        var catchAll = Samples.route(gateway.id, service.id, "/api/*", method: .any)
        catchAll.routePriority = 0
        for route in [byID, literal, put, catchAll] { try scenario.when(.defineRoute(route)) }

        let table = try #require(ConfigSnapshot(state: scenario.state).gateway(host: "wedsync.example", path: "/")).routes
        guard case .found(let found, let parameters, let upstream) = table.match(method: "GET", path: "/api/v1/weddings/42") else {
            Issue.record("expected a match"); return
        }
        #expect(found.id == byID.id && parameters == ["weddingId": "42"] && upstream == "/weddings/42")
        guard case .found(let featured, _, _) = table.match(method: "GET", path: "/api/v1/weddings/featured") else {
            Issue.record("expected a match"); return
        }
        #expect(featured.id == literal.id)
        guard case .found(let head, _, _) = table.match(method: "HEAD", path: "/api/v1/weddings/42") else { Issue.record("HEAD"); return }
        #expect(head.id == byID.id)
        guard case .found(let fallback, _, _) = table.match(method: "DELETE", path: "/api/v2/anything") else { Issue.record("*"); return }
        #expect(fallback.id == catchAll.id)
        guard case .notFound = table.match(method: "GET", path: "/elsewhere") else { Issue.record("expected 404"); return }

        try scenario.when(.removeRoute(catchAll.id))
        let after = try #require(ConfigSnapshot(state: scenario.state).gateway(host: "wedsync.example", path: "/")).routes
        guard case .methodNotAllowed(let allowed) = after.match(method: "DELETE", path: "/api/v1/weddings/42") else {
            Issue.record("expected 405"); return
        }
        #expect(allowed == ["GET", "PUT"])
        try scenario.when(.disableRoute(put.id))
        let disabled = try #require(ConfigSnapshot(state: scenario.state).gateway(host: "wedsync.example", path: "/")).routes
        guard case .methodNotAllowed(let remaining) = disabled.match(method: "PUT", path: "/api/v1/weddings/42") else {
            Issue.record("expected 405"); return
        }
        #expect(remaining == ["GET"])
    }

    @Test("gateways are chosen by host and path prefix, else the default")
    func gatewaySelection() throws {
        var scenario = ConfigScenario()
        try scenario.when(.createGateway(Gateway(name: "public", baseURL: "https://api.wedsync.example", isDefault: true)))
        try scenario.when(.createGateway(Gateway(name: "partners", baseURL: "https://api.wedsync.example/partners")))
        try scenario.when(.createGateway(Gateway(name: "local", baseURL: "http://localhost:8080")))
        try scenario.when(.createGateway(Gateway(name: "off", baseURL: "http://off.example", isEnabled: false)))
        let snapshot = ConfigSnapshot(state: scenario.state)
        #expect(snapshot.gateway(host: "API.wedsync.example", path: "/partners/x")?.gateway.name == "partners")
        #expect(snapshot.gateway(host: "api.wedsync.example", path: "/partnership")?.gateway.name == "public")
        #expect(snapshot.gateway(host: "localhost:8080", path: "/")?.gateway.name == "local")
        #expect(snapshot.gateway(host: "unknown.example", path: "/")?.gateway.name == "public")
        #expect(snapshot.gateway(host: "off.example", path: "/")?.gateway.name == "public")
    }

    @Test("instances pool by service name in priority order; policies index by tier; expired keys are refused")
    func pools() throws {
        var scenario = ConfigScenario()
        let gateway = Samples.gateway()
        try scenario.when(.createGateway(gateway))
        var backup = Samples.service(gateway.id, url: "http://127.0.0.1:9001")
        backup.priority = 2
        try scenario.when(.registerBackendService(backup))
        try scenario.when(.registerBackendService(Samples.service(gateway.id, url: "http://127.0.0.1:9000")))
        try scenario.when(.defineRateLimitPolicy(Samples.policy()))
        var key = Samples.key(plaintext: "gh_expiring_key_00000001")
        key.expiresAt = scenario.time.adding(seconds: 60)
        try scenario.when(.issueAPIKey(key))
        let snapshot = ConfigSnapshot(state: scenario.state)
        let view = try #require(snapshot.gateway(host: "wedsync.example", path: "/"))
        #expect(view.pools["weddings"]?.map(\.serviceURL) == ["http://127.0.0.1:9000", "http://127.0.0.1:9001"])
        #expect(snapshot.policiesByTier[.basic]?.policyName == "basic-tier")
        #expect(snapshot.apiKey(plaintext: "gh_expiring_key_00000001", at: scenario.time)?.id == key.id)
        #expect(snapshot.apiKey(plaintext: "gh_expiring_key_00000001", at: scenario.time.adding(seconds: 61)) == nil)
        #expect(snapshot.apiKey(plaintext: "gh_unknown", at: scenario.time) == nil)
    }
}
