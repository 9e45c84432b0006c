import EventLog
import GatehouseCache
import GatehouseCore
import GatehouseEngine
import Hummingbird

/// What the admin endpoints work with: the engine (commands and the current configuration),
/// the log (traffic figures), the keys' `last_used_at` projection, the proxy's live health
/// observations and its response cache (`nil` without a proxy).
struct AdminServices: Sendable {
    let engine: GatehouseEngine
    let keyActivity: KeyActivityProjection
    let health: @Sendable () -> [BackendServiceID: HealthObservation]
    let cache: ResponseCache?
    /// Request outcomes in minute/hour/day buckets.
    let metrics: MetricsProjection
    /// The outcome writer's counters (`nil` without a proxy).
    let recorder: (@Sendable () -> OutcomeRecorder.Statistics)?
    /// The proxy's rate-limiter figures (`nil` without a proxy).
    let limiter: (@Sendable () -> LimiterStatistics)?

    var commands: AdminCommands { AdminCommands(engine: engine) }
    var state: ConfigState { engine.state }
    var log: any EventLog { engine.log }

    /// The gateway named by the path's `{gateway_id}`, with the state it was found in.
    func gateway(_ context: AdminContext) throws -> (Gateway, ConfigState) {
        let id: GatewayID = try context.parameters.id("gateway_id", "gateway")
        let state = self.state
        guard let gateway = state.gateways[id] else { throw AdminError.notFound("gateway") }
        return (gateway, state)
    }
}

extension Parameters {
    /// The path parameter `name` as a typed id; 404 when it is not one (it cannot exist).
    func id<Entity>(_ name: String, _ what: String) throws -> Identifier<Entity> {
        guard let text = self.get(name), let id = Identifier<Entity>(text) else { throw AdminError.notFound(what) }
        return id
    }
}
