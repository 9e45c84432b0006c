import GatehouseCore
import GatehouseTesting
import Testing

@Suite("Config decider")
struct ConfigDeciderTests {
    /// A gateway with one instance, one route, a version, a policy and a key.
    static func populated() throws -> (ConfigScenario, Gateway, BackendService, Route) {
        var scenario = ConfigScenario()
        let gateway = Samples.gateway()
        let service = Samples.service(gateway.id)
        let route = Samples.route(gateway.id, service.id)
        try scenario.when(.createGateway(gateway))
        try scenario.when(.registerBackendService(service))
        try scenario.when(.defineRoute(route))
        return (scenario, gateway, service, route)
    }

    @Test("creating entities records one past-tense event each, stamped with the command time")
    func creation() throws {
        var scenario = ConfigScenario()
        let gateway = Samples.gateway()
        let events = try scenario.when(.createGateway(gateway))
        guard case .gatewayCreated(let created) = events.first else { Issue.record("expected GatewayCreated"); return }
        #expect(events.count == 1)
        #expect(created.createdAt == scenario.time)
        #expect(created.updatedAt == scenario.time)
        #expect(scenario.state.gateways[gateway.id]?.name == "wedsync")
        #expect(scenario.state.revision(of: gateway.id) == 1)

        let service = Samples.service(gateway.id)
        #expect(try scenario.when(.registerBackendService(service)).map(\.kind) == [.backendServiceRegistered])
        #expect(try scenario.when(.defineRoute(Samples.route(gateway.id, service.id))).map(\.kind) == [.routeDefined])
        #expect(try scenario.when(.issueAPIKey(Samples.key())).map(\.kind) == [.apiKeyIssued])
        #expect(try scenario.when(.defineRateLimitPolicy(Samples.policy())).map(\.kind) == [.rateLimitPolicyDefined])
        #expect(try scenario.when(.publishAPIVersion(Samples.version(gateway.id))).map(\.kind) == [.apiVersionPublished])
        let document = APIDocumentation(gatewayID: gateway.id, openapiSpec: .object(["openapi": .string("3.1.0")]))
        #expect(try scenario.when(.publishAPIDocumentation(document)).map(\.kind) == [.apiDocumentationPublished])
        #expect(scenario.state.apiDocumentation.count == 1)
    }

    @Test("an update records the changed fields with old and new values; an unchanged update records nothing")
    func updates() throws {
        var (scenario, gateway, _, route) = try Self.populated()
        var changed = route
        changed.cacheConfig = CacheConfig(enabled: true, ttl: 60)
        changed.routePriority = 5
        let events = try scenario.when(.updateRoute(changed))
        guard case .routeUpdated(let updated, let changes) = events.first else { Issue.record("expected RouteUpdated"); return }
        #expect(changes.map(\.field) == ["cache_config", "route_priority"])
        #expect(changes[1] == FieldChange(field: "route_priority", old: .number(1), new: .number(5)))
        #expect(updated.createdAt == scenario.state.routes[route.id]!.createdAt)
        #expect(try scenario.when(.updateRoute(changed)).isEmpty)
        #expect(try scenario.when(.updateGateway(scenario.state.gateways[gateway.id]!)).isEmpty)
    }

    @Test("names, routes and instances are unique")
    func uniqueness() throws {
        let (scenario, gateway, service, route) = try Self.populated()
        #expect(scenario.refusal(of: .createGateway(Samples.gateway()))?.code == .duplicate)
        #expect(scenario.refusal(of: .defineRoute(Samples.route(gateway.id, service.id)))?.code == .duplicate)
        #expect(scenario.refusal(of: .defineRoute(route))?.code == .duplicate)
        #expect(scenario.refusal(of: .registerBackendService(Samples.service(gateway.id)))?.code == .duplicate)
        // The same path with another method is a different route.
        #expect(scenario.refusal(of: .defineRoute(Samples.route(gateway.id, service.id, method: .put))) == nil)
        // A second instance of the same service at another URL is fine.
        #expect(scenario.refusal(of: .registerBackendService(Samples.service(gateway.id, url: "http://127.0.0.1:9001"))) == nil)
    }

    @Test("references must exist and belong to the same gateway")
    func references() throws {
        let (scenario, gateway, service, _) = try Self.populated()
        let other = Samples.gateway("other")
        #expect(scenario.refusal(of: .registerBackendService(Samples.service(other.id)))?.code == .referenceNotFound)
        #expect(scenario.refusal(of: .defineRoute(Samples.route(gateway.id, BackendServiceID(), "/x")))?.code == .referenceNotFound)
        var versioned = Samples.route(gateway.id, service.id, "/y")
        versioned.apiVersionID = APIVersionID()
        let refusal = scenario.refusal(of: .defineRoute(versioned))
        #expect(refusal?.code == .referenceNotFound)
        #expect(refusal?.field == "api_version_id")
    }

    @Test("an instance that routes target cannot be deregistered; removing the gateway cascades")
    func cascades() throws {
        var (scenario, gateway, service, route) = try Self.populated()
        #expect(scenario.refusal(of: .deregisterBackendService(service.id))?.code == .inUse)
        try scenario.when(.publishAPIVersion(Samples.version(gateway.id)))
        let events = try scenario.when(.removeGateway(gateway.id))
        #expect(events.map(\.kind) == [.routeRemoved, .backendServiceDeregistered, .apiVersionRemoved, .gatewayRemoved])
        #expect(scenario.state.gateways.isEmpty && scenario.state.routes.isEmpty && scenario.state.backendServices.isEmpty)
        #expect(scenario.state.apiVersions.isEmpty)
        #expect(scenario.state.revision(of: route.id) == nil)
    }

    @Test("invalid gateways are refused naming the field")
    func invalidGateway() {
        func refusalField(_ mutate: (inout Gateway) -> Void) -> String? {
            var gateway = Samples.gateway()
            mutate(&gateway)
            let refusal = ConfigScenario().refusal(of: .createGateway(gateway))
            #expect(refusal == nil || refusal?.code == .invalidField)
            return refusal?.field
        }
        #expect(refusalField { $0.baseURL = "ftp://x" } == "base_url")
        #expect(refusalField { $0.healthCheckInterval = 0 } == "health_check_interval")
        #expect(refusalField { $0.timeoutConfig.connect = -1 } == "timeout_config.connect")
        #expect(refusalField { $0.name = "" } == "name")
        #expect(refusalField { $0.corsConfig = CORSConfig(allowedOrigins: ["*"], credentials: true) } == "cors_config.allowed_origins")
        #expect(refusalField { $0.sslConfig.enabled = true } == "ssl_config")
        #expect(refusalField { _ in } == nil)
    }

    @Test("invalid routes are refused naming the field")
    func invalidRoutes() throws {
        let (scenario, gateway, service, _) = try Self.populated()
        func refusalField(_ mutate: (inout Route) -> Void) -> String? {
            var route = Samples.route(gateway.id, service.id, "/new/{id}")
            mutate(&route)
            return scenario.refusal(of: .defineRoute(route))?.field
        }
        #expect(refusalField { $0.routePath = "no-slash" } == "route_path")
        #expect(refusalField { $0.upstreamPath = "/up/{other}" } == "upstream_path")
        #expect(refusalField { $0.cacheConfig.ttl = -1 } == "cache_config.ttl")
        #expect(refusalField { $0.cacheConfig.invalidateOn = [.get] } == "cache_config.invalidate_on")
        #expect(refusalField { $0.authRequirements = AuthRequirements(required: false, scopes: ["x"]) } == "auth_requirements.required")
        #expect(refusalField { $0.rateLimitConfig.requestsPerSecond = -5 } == "rate_limit_config.requests_per_second")
        #expect(refusalField { $0.upstreamPath = "/up/{id}" } == nil)
    }

    @Test("invalid services, keys, policies and versions are refused naming the field")
    func invalidOthers() throws {
        let (scenario, gateway, _, _) = try Self.populated()
        var service = Samples.service(gateway.id, url: "http://127.0.0.1:9100")
        service.retryAttempts = 11
        #expect(scenario.refusal(of: .registerBackendService(service))?.field == "retry_attempts")
        service.retryAttempts = 1
        service.circuitBreakerConfig.failureThreshold = 0
        #expect(scenario.refusal(of: .registerBackendService(service))?.field == "circuit_breaker_config.failure_threshold")
        var key = Samples.key()
        key.apiKeyHash = "not-a-hash"
        #expect(scenario.refusal(of: .issueAPIKey(key))?.field == "api_key_hash")
        key = Samples.key()
        key.usageQuota = UsageQuota(daily: 10, monthly: 5)
        #expect(scenario.refusal(of: .issueAPIKey(key))?.field == "usage_quota.daily")
        var policy = Samples.policy()
        policy.requestsPerMinute = 1
        #expect(scenario.refusal(of: .defineRateLimitPolicy(policy))?.field == "requests_per_minute")
        var version = Samples.version(gateway.id)
        version.versionNumber = "one"
        #expect(scenario.refusal(of: .publishAPIVersion(version))?.field == "version_number")
    }

    @Test("missing entities are not found; stale revisions are refused")
    func existenceAndRevisions() throws {
        var (scenario, gateway, _, route) = try Self.populated()
        #expect(scenario.refusal(of: .removeRoute(RouteID()))?.code == .notFound)
        #expect(scenario.refusal(of: .revokeAPIKey(APIKeyID()))?.code == .notFound)
        let revision = try #require(scenario.state.revision(of: route.id))
        #expect(scenario.refusal(of: .disableRoute(route.id), expectedRevision: revision + 7)?.code == .revisionMismatch)
        try scenario.when(.disableRoute(route.id), expectedRevision: revision)
        #expect(scenario.state.routes[route.id]?.isEnabled == false)
        #expect(try scenario.when(.disableRoute(route.id)).isEmpty)
        #expect(try scenario.when(.enableRoute(route.id)).map(\.kind) == [.routeEnabled])
        #expect(scenario.refusal(of: .updateGateway(scenario.state.gateways[gateway.id]!), expectedRevision: 999)?.code == .revisionMismatch)
    }

    @Test("one default gateway and one default version per gateway")
    func defaults() throws {
        var scenario = ConfigScenario()
        let first = Samples.gateway("first", isDefault: true)
        let second = Samples.gateway("second", isDefault: true)
        try scenario.when(.createGateway(first))
        let events = try scenario.when(.createGateway(second))
        #expect(events.map(\.kind) == [.gatewayUpdated, .gatewayCreated])
        #expect(scenario.state.gateways.values.filter(\.isDefault).map(\.name) == ["second"])
        try scenario.when(.publishAPIVersion(Samples.version(second.id, "v1", isDefault: true)))
        try scenario.when(.publishAPIVersion(Samples.version(second.id, "v2", isDefault: true)))
        #expect(scenario.state.apiVersions.values.filter(\.isDefault).map(\.versionName) == ["v2"])
    }

    @Test("keys rotate with a grace period and revoke immediately")
    func keyLifecycle() throws {
        var scenario = ConfigScenario()
        let key = Samples.key(plaintext: "gh_old_secret_0000000001")
        try scenario.when(.issueAPIKey(key))
        let newHash = APIKeyHash.hash("gh_new_secret_0000000002")
        try scenario.when(.rotateAPIKey(key.id, newHash: newHash, newPrefix: "gh_new_s", gracePeriodSeconds: 3600))
        let rotated = try #require(scenario.state.apiKeys[key.id])
        #expect(rotated.apiKeyHash == newHash)
        #expect(rotated.previousKeyHash == key.apiKeyHash)
        #expect(rotated.previousKeyValidUntil == scenario.time.adding(seconds: 3600))

        let snapshot = ConfigSnapshot(state: scenario.state)
        #expect(snapshot.apiKey(plaintext: "gh_new_secret_0000000002", at: scenario.time)?.id == key.id)
        #expect(snapshot.apiKey(plaintext: "gh_old_secret_0000000001", at: scenario.time)?.id == key.id)
        #expect(snapshot.apiKey(plaintext: "gh_old_secret_0000000001", at: scenario.time.adding(seconds: 3601)) == nil)

        #expect(try scenario.when(.revokeAPIKey(key.id)).map(\.kind) == [.apiKeyRevoked])
        #expect(ConfigSnapshot(state: scenario.state).apiKey(plaintext: "gh_new_secret_0000000002", at: scenario.time) == nil)
        #expect(try scenario.when(.revokeAPIKey(key.id)).isEmpty)
        var reactivated = try #require(scenario.state.apiKeys[key.id])
        reactivated.isActive = true
        #expect(scenario.refusal(of: .updateAPIKey(reactivated))?.field == "is_active")
        #expect(scenario.refusal(of: .issueAPIKey(Samples.key("copy", plaintext: "gh_new_secret_0000000002")))?.code == .duplicate)
    }

    @Test("one active policy per tier")
    func policyTiers() throws {
        var scenario = ConfigScenario()
        try scenario.when(.defineRateLimitPolicy(Samples.policy("basic-a")))
        #expect(scenario.refusal(of: .defineRateLimitPolicy(Samples.policy("basic-b")))?.field == "tier")
        var inactive = Samples.policy("basic-b")
        inactive.isActive = false
        #expect(scenario.refusal(of: .defineRateLimitPolicy(inactive)) == nil)
    }

    @Test("versions deprecate with a sunset date, then sunset; the default cannot be")
    func versionLifecycle() throws {
        var scenario = ConfigScenario()
        let gateway = Samples.gateway()
        try scenario.when(.createGateway(gateway))
        let v1 = Samples.version(gateway.id, "v1", isDefault: true)
        let v2 = Samples.version(gateway.id, "v2")
        try scenario.when(.publishAPIVersion(v1))
        try scenario.when(.publishAPIVersion(v2))
        #expect(scenario.refusal(of: .deprecateAPIVersion(v1.id, sunsetDate: nil))?.field == "is_default")
        let sunset = scenario.time.adding(seconds: 86_400 * 90)
        #expect(try scenario.when(.deprecateAPIVersion(v2.id, sunsetDate: sunset)).map(\.kind) == [.apiVersionDeprecated])
        let deprecated = try #require(scenario.state.apiVersions[v2.id])
        #expect(deprecated.isDeprecated && deprecated.sunsetDate == sunset && deprecated.deprecationDate == scenario.time)
        #expect(try scenario.when(.sunsetAPIVersion(v2.id)).map(\.kind) == [.apiVersionSunset])
        #expect(scenario.state.apiVersions[v2.id]?.sunsetDate == scenario.time)
    }

    @Test("a batch is all or nothing and later commands see earlier ones")
    func batches() throws {
        let gateway = Samples.gateway()
        let service = Samples.service(gateway.id)
        let context = CommandContext(time: Timestamp(microseconds: 1), actor: "test")
        let events = try ConfigDecider.decide(
            [.createGateway(gateway), .registerBackendService(service), .defineRoute(Samples.route(gateway.id, service.id))],
            state: ConfigState(), context: context
        )
        #expect(events.map(\.kind) == [.gatewayCreated, .backendServiceRegistered, .routeDefined])
        #expect(throws: ConfigError.self) {
            try ConfigDecider.decide([.createGateway(gateway), .createGateway(Samples.gateway())], state: ConfigState(), context: context)
        }
    }
}
