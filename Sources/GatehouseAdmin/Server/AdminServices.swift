import EventLog
import GatehouseCore
import GatehouseEngine
import Hummingbird

/// What the admin endpoints work with: the engine (commands and the current configuration),
/// the log (traffic figures) and the proxy's live health observations.
struct AdminServices: Sendable {
    let engine: GatehouseEngine
    let health: @Sendable () -> [BackendServiceID: HealthObservation]

    var commands: AdminCommands { AdminCommands(engine: engine) }
    var state: ConfigState { engine.state }
    var log: any EventLog { engine.log }

    /// The caller, who must be an administrator.
    static func requireAdmin(_ context: AdminContext) throws {
        guard try context.caller.isAdmin else { throw AdminError.forbidden("this endpoint needs the system_admin or api_admin role") }
    }
}

extension Parameters {
    /// The path parameter `name` as a typed id; 404 when it is not one (it cannot exist).
    func id<Entity>(_ name: String, _ what: String) throws -> Identifier<Entity> {
        guard let text = self.get(name), let id = Identifier<Entity>(text) else { throw AdminError.notFound(what) }
        return id
    }
}
