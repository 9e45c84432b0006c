import GatehouseCore
import Hummingbird

/// The five endpoints of a configuration resource — list and create on its collection path,
/// show, change and remove on its item path — and how each finds or changes entities.
struct ResourceEndpoints<Entity: ConfigEntity>: Sendable where Entity.ID == Identifier<Entity> {
    /// Operation summaries for the OpenAPI document.
    struct Summaries: Sendable {
        var list, create, show, update, remove: String
    }

    var collection: String
    var item: String
    var tag: String
    /// The list's JSON name, e.g. `rate_limit_policies`.
    var plural: String
    var summaries: Summaries
    /// The entities a list shows.
    var all: @Sendable (AdminContext) throws -> ([Entity], ConfigState)
    /// A new entity's server-owned fields and defaults.
    var template: @Sendable (AdminContext) throws -> Entity
    /// The entity the item path names (404 when there is none).
    var find: @Sendable (AdminContext) throws -> (Entity, ConfigState)
    var create: @Sendable (Entity) -> ConfigCommand
    var update: @Sendable (Entity) -> ConfigCommand
    var remove: @Sendable (Identifier<Entity>) -> ConfigCommand
}

extension EntityResource {
    /// Adds `endpoints` to `routes`; `schemaTemplate` documents the body fields.
    func register(_ endpoints: ResourceEndpoints<Entity>, schemaTemplate: Entity, on routes: AdminRoutes) {
        let schema = BodySchema(form, template: schemaTemplate)
        let summaries = endpoints.summaries
        routes.add(.get, endpoints.collection, summaries.list, tag: endpoints.tag) { _, context in
            let (entities, state) = try endpoints.all(context)
            return try list(entities, plural: endpoints.plural, state)
        }
        routes.add(.post, endpoints.collection, summaries.create, tag: endpoints.tag, body: schema, success: .created) { request, context in
            try await create(request, context, template: try endpoints.template(context), command: endpoints.create)
        }
        routes.add(.get, endpoints.item, summaries.show, tag: endpoints.tag) { _, context in
            let (entity, state) = try endpoints.find(context)
            return try show(entity, state)
        }
        routes.add(.put, endpoints.item, summaries.update, tag: endpoints.tag, body: schema) { request, context in
            try await update(request, context, current: try endpoints.find(context).0, command: endpoints.update)
        }
        routes.add(.delete, endpoints.item, summaries.remove, tag: endpoints.tag, success: .noContent) { request, context in
            try await remove(request, context, endpoints.remove(try endpoints.find(context).0.id))
        }
    }
}
