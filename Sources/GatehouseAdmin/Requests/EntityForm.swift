import GatehouseCore

/// How a request body becomes an entity: which fields a caller may write, which a create must
/// carry, and the server-owned values (ids, owners, times) it merges over.
struct EntityForm<Entity: ConfigEntity>: Sendable {
    /// Top-level fields a caller may set.
    let writable: Set<String>
    /// Fields a create must carry.
    let required: [String]

    /// A new entity: `body` over `template` (which carries the server-owned fields and defaults).
    func create(_ body: [String: JSONValue], template: Entity) throws -> Entity {
        try JSONBody.allow(body, only: writable)
        try JSONBody.require(body, required)
        return try JSONBody.decode(Entity.self, base: try JSONValue(encoding: template), patch: body)
    }

    /// `current` with `body` merged over it; a field set to `null` returns to its default.
    func update(_ body: [String: JSONValue], current: Entity) throws -> Entity {
        try JSONBody.allow(body, only: writable)
        for field in required where body[field] == .null {
            throw AdminError(.badRequest, "missing_field", "'\(field)' cannot be removed", field: field)
        }
        return try JSONBody.decode(Entity.self, base: try JSONValue(encoding: current), patch: body)
    }
}
