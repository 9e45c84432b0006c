import GatehouseCore
import Hummingbird

/// The create/show/update/remove handling every configuration resource shares: the body through
/// its ``EntityForm``, the command through the engine, the result (with its `ETag`) under the
/// resource's JSON name.
struct EntityResource<Entity: ConfigEntity>: Sendable where Entity.ID == Identifier<Entity> {
    let services: AdminServices
    /// The JSON name of one entity in responses, e.g. `rate_limit_policy`.
    let name: String
    let form: EntityForm<Entity>
    /// Finds an entity in a state.
    let find: @Sendable (ConfigState, Identifier<Entity>) -> Entity?
    /// The entity as shown (its fields plus computed ones).
    let view: @Sendable (Entity, ConfigState) -> JSONValue

    func show(_ entity: Entity, _ state: ConfigState) throws -> Response {
        try respond(entity.id, state: state, status: .ok)
    }

    func create(_ request: Request, _ context: AdminContext, template: Entity, command: (Entity) -> ConfigCommand) async throws -> Response {
        let entity = try form.create(try await JSONBody.object(request, context: context), template: template)
        try await services.commands.execute([command(entity)], request: request, context: context)
        return try respond(entity.id, state: services.state, status: .created)
    }

    func update(_ request: Request, _ context: AdminContext, current: Entity, command: (Entity) -> ConfigCommand) async throws -> Response {
        let entity = try form.update(try await JSONBody.object(request, context: context), current: current)
        try await services.commands.execute([command(entity)], request: request, context: context)
        return try respond(entity.id, state: services.state, status: .ok)
    }

    func remove(_ request: Request, _ context: AdminContext, _ command: ConfigCommand) async throws -> Response {
        try await services.commands.execute([command], request: request, context: context)
        return AdminResponse.noContent
    }

    /// `{"<name>s": [...], "total_count": n}`.
    func list(_ entities: [Entity], plural: String, _ state: ConfigState) throws -> Response {
        try AdminResponse.json([plural: .array(entities.map { view($0, state) }), "total_count": JSONValue.int(entities.count)])
    }

    private func respond(_ id: Identifier<Entity>, state: ConfigState, status: HTTPResponse.Status) throws -> Response {
        guard let entity = find(state, id) else { throw AdminError.notFound(name.replacingOccurrences(of: "_", with: " ")) }
        return try AdminResponse.json([name: view(entity, state)], status: status, revision: state.revision(of: id))
    }
}
