import EventLog
import GatehouseCore

/// Given/when/then for the decider: a state built by running commands through
/// `decide` + `evolve`, exactly as the engine does, without a log.
public struct ConfigScenario {
    /// The state so far.
    public private(set) var state = ConfigState()
    /// Every event decided so far, in order.
    public private(set) var events: [ControlEvent] = []
    /// The time the next command runs at; advanced one second per command.
    public var time = Timestamp(microseconds: 1_800_000_000_000_000)

    public init() {}

    /// Runs `command` and returns the events it produced.
    @discardableResult
    public mutating func when(_ command: ConfigCommand, actor: String = "test", expectedRevision: UInt64? = nil) throws(ConfigError) -> [ControlEvent] {
        time = time.adding(seconds: 1)
        let decided = try ConfigDecider.decide(command, state: state, context: CommandContext(time: time, actor: actor, expectedRevision: expectedRevision))
        for event in decided {
            state.evolve(event, sequence: state.lastSequence + 1, time: time)
        }
        events += decided
        return decided
    }

    /// The decider's refusal of `command` (the state is left unchanged), or `nil` if accepted.
    public func refusal(of command: ConfigCommand, expectedRevision: UInt64? = nil) -> ConfigError? {
        do {
            _ = try ConfigDecider.decide(command, state: state, context: CommandContext(time: time, actor: "test", expectedRevision: expectedRevision))
            return nil
        } catch {
            return error
        }
    }
}

/// Small, valid entities for tests.
public enum Samples {
    public static func gateway(_ name: String = "wedsync", isDefault: Bool = false) -> Gateway {
        Gateway(name: name, baseURL: "http://\(name).example", isDefault: isDefault)
    }

    public static func service(_ gateway: GatewayID, name: String = "weddings", url: String = "http://127.0.0.1:9000") -> BackendService {
        BackendService(gatewayID: gateway, serviceName: name, serviceURL: url)
    }

    public static func route(_ gateway: GatewayID, _ service: BackendServiceID, _ path: String = "/api/v1/weddings/{weddingId}", method: RouteMethod = .get) -> Route {
        Route(gatewayID: gateway, routePath: path, routeMethod: method, backendServiceID: service)
    }

    public static func key(_ name: String = "vendor", plaintext: String = "gh_test_key_000000000001", tier: RateLimitTier = .basic) -> APIKey {
        APIKey(keyName: name, apiKeyHash: APIKeyHash.hash(plaintext), apiKeyPrefix: APIKeyHash.prefix(of: plaintext), scopes: ["read:weddings"], rateLimitTier: tier)
    }

    public static func policy(_ name: String = "basic-tier", tier: RateLimitTier = .basic) -> RateLimitPolicy {
        RateLimitPolicy(policyName: name, tier: tier)
    }

    public static func version(_ gateway: GatewayID, _ name: String = "v1", isDefault: Bool = false) -> APIVersion {
        APIVersion(gatewayID: gateway, versionName: name, versionNumber: "1.0.0", isDefault: isDefault)
    }
}
