import EventLog
import GatehouseCore
import GatehouseEngine
import GatehouseTesting
import Testing

@Suite("Declarative config")
struct DeclarativeConfigTests {
    static func context(_ second: Int64 = 1) -> CommandContext {
        CommandContext(time: Timestamp(microseconds: 1_800_000_000_000_000 + second * 1_000_000), actor: "cli:test")
    }

    static func engine() throws -> (GatehouseEngine, DeclarativeConfig) {
        let engine = try GatehouseEngine(log: InMemoryEventLog())
        return (engine, DeclarativeConfig(engine: engine))
    }

    @Test("the WedSync fixture applies; applying it again records nothing")
    func wedsyncFixture() throws {
        let (engine, config) = try Self.engine()
        let yaml = try Fixtures.text("wedsync.yaml")
        let recorded = try config.apply(yaml, fileName: "wedsync.yaml", context: Self.context())
        #expect(recorded.count > 20)
        #expect(try config.apply(yaml, fileName: "wedsync.yaml", context: Self.context(2)).isEmpty)
        #expect(try config.plan(yaml, fileName: "wedsync.yaml", context: Self.context(3)).isEmpty)

        let state = engine.state
        let gateway = try #require(state.gateway(named: "wedsync-api-gateway"))
        #expect(gateway.isDefault)
        #expect(Set(state.rateLimitPolicies.values.map(\.tier)) == Set(RateLimitTier.allCases))
        #expect(Set(state.apiVersions.values.map(\.versionName)) == ["v1", "v2"])
        let pools = Dictionary(grouping: state.backendServices.values, by: \.serviceName).mapValues(\.count)
        #expect(pools == ["weddings-service": 2, "rsvp-service": 2, "vendors-service": 2])

        // The spec's scenarios, as far as configuration decides them.
        let snapshot = engine.snapshot
        let view = try #require(snapshot.gateway(host: "api.wedsync.com", path: "/api/v1/weddings/123"))
        #expect(view.gateway.name == "wedsync-api-gateway")
        guard case .found(let byID, _, let upstream) = view.routes.match(method: "GET", path: "/api/v1/weddings/123") else {
            Issue.record("GET /api/v1/weddings/123 must match"); return
        }
        #expect(byID.cacheConfig.enabled && !byID.authRequirements.required && upstream == "/weddings/123")
        guard case .found(let list, _, _) = view.routes.match(method: "GET", path: "/api/v1/weddings") else {
            Issue.record("GET /api/v1/weddings must match"); return
        }
        #expect(list.authRequirements.scopes == ["read:weddings"])
        let basic = try #require(snapshot.apiKey(plaintext: "demo-basic-key-0001", at: Self.context().time))
        #expect(basic.rateLimitTier == .basic && basic.scopes.contains("read:weddings"))
        let premium = try #require(snapshot.apiKey(plaintext: "demo-premium-key-0001", at: Self.context().time))
        #expect(premium.rateLimitTier == .premium && premium.scopes.contains("read:weddings"))
        #expect(snapshot.policiesByTier[.basic]!.requestsPerMinute < 150, "150 rapid requests with the basic key must hit a limit")
    }

    @Test("an export applied to the state it came from changes nothing")
    func exportRoundTrip() throws {
        let (engine, config) = try Self.engine()
        try config.apply(try Fixtures.text("wedsync.yaml"), fileName: "wedsync.yaml", context: Self.context())
        let exported = try ConfigExporter.yaml(of: engine.state)
        #expect(!exported.contains("demo-basic-key-0001"), "plaintext keys are never exported")
        #expect(try config.plan(exported, fileName: "export.yaml", context: Self.context(2)).isEmpty)
        let (fresh, freshConfig) = try Self.engine()
        try freshConfig.apply(exported, fileName: "export.yaml", context: Self.context(3))
        #expect(ConfigExporter.document(of: fresh.state) == ConfigExporter.document(of: engine.state))
    }

    @Test("a file that drops entities removes them; a changed key plaintext rotates the key")
    func pruningAndRotation() throws {
        let (engine, config) = try Self.engine()
        let yaml = try Fixtures.text("wedsync.yaml")
        try config.apply(yaml, fileName: "wedsync.yaml", context: Self.context())
        let before = try #require(engine.state.apiKeys.values.first { $0.keyName == "demo-basic" })
        let edited = yaml
            .replacingOccurrences(of: "  - { policy_name: enterprise-tier", with: "#  - { policy_name: enterprise-tier")
            .replacingOccurrences(of: "key: demo-basic-key-0001", with: "key: demo-basic-key-0002")
        let events = try config.plan(edited, fileName: "edited.yaml", context: Self.context(2))
        #expect(events.map(\.kind) == [.rateLimitPolicyRemoved, .apiKeyRotated])
        try config.apply(edited, fileName: "edited.yaml", context: Self.context(2))
        #expect(engine.state.rateLimitPolicies.values.contains { $0.tier == .enterprise } == false)
        let after = try #require(engine.state.apiKeys[before.id])
        #expect(after.apiKeyHash == APIKeyHash.hash("demo-basic-key-0002"))
    }

    @Test("invalid files append nothing and name the file, line and field", arguments: [
        ("gateways:\n  - name: a\n    base_url: http://a.example\n    colour: blue\n", 4, "gateways[0].colour", "unknown field"),
        ("gateways:\n  - name: a\n    base_url: http://a.example\n    health_check_interval: soon\n", 4, "gateways[0].health_check_interval", "integer"),
        ("gateways:\n  - name: a\n", 2, "gateways[0].base_url", "missing"),
        ("gateways:\n  - name: a\n    base_url: [\n", 4, "", "invalid YAML"),
        ("gateways:\n  - name: a\n    base_url: http://a.example\n    load_balancing_strategy: random\n", 4, "gateways[0].load_balancing_strategy", "random"),
        ("gateways:\n  - name: a\n    base_url: http://a.example\n    health_check_interval: 0\n", 4, "gateways[0].health_check_interval", "between"),
        ("gateways:\n  - name: a\n    base_url: http://a.example\n    routes:\n      - { route_path: /x, route_method: GET, service: nope }\n",
         5, "gateways[0].routes[0].service", "no service"),
        ("gateways:\n  - name: a\n    base_url: http://a.example\n  - name: a\n    base_url: http://b.example\n", 4, "gateways[1]", "twice"),
        ("api_keys:\n  - { key_name: k, key: short }\n", 2, "api_keys[0].key", "16 characters"),
        ("gateways:\n  - name: a\n    base_url: http://a.example\n    services:\n      - { service_name: s, service_url: \"http://s\", weight: -1 }\n",
         5, "gateways[0].services[0].weight", "between"),
    ])
    func invalidFiles(yaml: String, line: Int, field: String, message: String) throws {
        let (engine, config) = try Self.engine()
        do {
            try config.apply(yaml, fileName: "bad.yaml", context: Self.context())
            Issue.record("expected an error")
        } catch let error as ConfigFileError {
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.field == field, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
        #expect(try engine.log.lastSequence(of: nil) == 0)
    }
}
