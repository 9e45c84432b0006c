import GatehouseCore

/// Random but plausible command streams for property tests: creates, updates, toggles, removals
/// and key lifecycles over a small pool of names, so collisions and refusals happen too.
public struct RandomCommands {
    private var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    private mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))]
    }

    private mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    /// A command that may or may not be valid against `state`.
    public mutating func next(for state: ConfigState) -> ConfigCommand {
        let gateways = state.gateways.values.sorted { $0.id < $1.id }
        let services = state.backendServices.values.sorted { $0.id < $1.id }
        let routes = state.routes.values.sorted { $0.id < $1.id }
        let keys = state.apiKeys.values.sorted { $0.id < $1.id }
        let policies = state.rateLimitPolicies.values.sorted { $0.id < $1.id }
        let versions = state.apiVersions.values.sorted { $0.id < $1.id }
        let names = ["wedsync", "partners", "vendors", "internal", "edge"]
        let paths = ["/api/v1/weddings", "/api/v1/weddings/{weddingId}", "/api/v1/vendors/*", "/api/v2/rsvps/{id}", "/health"]

        switch random.next() % 16 {
        case 0:
            return .createGateway(Gateway(name: pick(names)!, baseURL: "http://\(pick(names)!).example", isDefault: chance(30)))
        case 1:
            guard var gateway = pick(gateways) else { break }
            gateway.healthCheckInterval = Int(1 + random.next() % 120)
            gateway.loadBalancingStrategy = pick(LoadBalancingStrategy.allCases)!
            return .updateGateway(gateway)
        case 2:
            guard let gateway = pick(gateways), chance(25) else { break }
            return .removeGateway(gateway.id)
        case 3, 4:
            guard let gateway = pick(gateways) else { break }
            return .registerBackendService(BackendService(
                gatewayID: gateway.id, serviceName: pick(["weddings", "rsvps", "vendors"])!, serviceURL: "http://127.0.0.1:\(9000 + random.next() % 4)"
            ))
        case 5:
            guard var service = pick(services) else { break }
            service.weight = Int(random.next() % 200)
            return .updateBackendService(service)
        case 6:
            guard let service = pick(services) else { break }
            return .deregisterBackendService(service.id)
        case 7, 8:
            guard let service = pick(services) else { break }
            var route = Route(gatewayID: service.gatewayID, routePath: pick(paths)!, routeMethod: pick([.get, .post, .put, .any])!, backendServiceID: service.id)
            route.cacheConfig = CacheConfig(enabled: chance(50), ttl: Int(random.next() % 600))
            return .defineRoute(route)
        case 9:
            guard var route = pick(routes) else { break }
            route.routePriority = Int(random.next() % 10)
            return .updateRoute(route)
        case 10:
            guard let route = pick(routes) else { break }
            return chance(50) ? .disableRoute(route.id) : (chance(50) ? .enableRoute(route.id) : .removeRoute(route.id))
        case 11:
            let secret = "gh_random_\(random.next())"
            return .issueAPIKey(APIKey(
                keyName: pick(["mobile", "vendor", "planner"])!, apiKeyHash: APIKeyHash.hash(secret), apiKeyPrefix: APIKeyHash.prefix(of: secret),
                ownerID: pick(["u1", "u2"]), rateLimitTier: pick(RateLimitTier.allCases)!
            ))
        case 12:
            guard let key = pick(keys) else { break }
            if chance(50) { return .revokeAPIKey(key.id) }
            let secret = "gh_rotated_\(random.next())"
            return .rotateAPIKey(key.id, newHash: APIKeyHash.hash(secret), newPrefix: APIKeyHash.prefix(of: secret), gracePeriodSeconds: Int(random.next() % 3) * 60)
        case 13:
            if let policy = pick(policies), chance(50) {
                var updated = policy
                updated.burstLimit = Int(random.next() % 100)
                return chance(70) ? .updateRateLimitPolicy(updated) : .removeRateLimitPolicy(policy.id)
            }
            let tier = pick(RateLimitTier.allCases)!
            return .defineRateLimitPolicy(RateLimitPolicy(policyName: "\(tier.rawValue)-\(random.next() % 3)", tier: tier))
        case 14:
            guard let gateway = pick(gateways) else { break }
            return .publishAPIVersion(APIVersion(gatewayID: gateway.id, versionName: pick(["v1", "v2", "v3"])!, versionNumber: "1.0.0", isDefault: chance(40)))
        default:
            guard let version = pick(versions) else { break }
            return chance(50) ? .deprecateAPIVersion(version.id, sunsetDate: nil) : .sunsetAPIVersion(version.id)
        }
        return .createGateway(Gateway(name: pick(names)!, baseURL: "http://\(pick(names)!).example"))
    }
}
