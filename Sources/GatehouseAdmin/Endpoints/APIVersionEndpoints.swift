import GatehouseCore
import Hummingbird

/// `/api/gateway/{gateway_id}/versions` and `/api/gateway/versions/{version_id}…`: the spec's
/// `api_versions`, with deprecation (optionally with a sunset date) and sunset as explicit steps.
struct APIVersionEndpoints {
    let services: AdminServices

    private var resource: EntityResource<APIVersion> {
        EntityResource(
            services: services, name: "api_version",
            form: EntityForm(
                writable: [
                    "version_name", "version_number", "is_default", "changelog", "migration_guide", "supported_features", "breaking_changes",
                ],
                required: ["version_name", "version_number"]
            ),
            find: { state, id in state.apiVersions[id] },
            view: { version, state in ((try? JSONValue(encoding: version)) ?? .null).adding(["revision": .int(state.revision(of: version.id) ?? 0)]) }
        )
    }

    func register(on router: Router<AdminContext>) {
        router.get("/api/gateway/{gateway_id}/versions") { _, context in
            let (gateway, state) = try gatewayLookup(context)
            return try resource.list(state.apiVersions(in: gateway.id), plural: "api_versions", state)
        }
        router.post("/api/gateway/{gateway_id}/versions") { request, context in
            let (gateway, _) = try gatewayLookup(context)
            let template = APIVersion(gatewayID: gateway.id, versionName: "", versionNumber: "")
            return try await resource.create(request, context, template: template, command: ConfigCommand.publishAPIVersion)
        }
        router.get("/api/gateway/versions/{version_id}") { _, context in
            let (version, state) = try lookup(context)
            return try resource.show(version, state)
        }
        router.put("/api/gateway/versions/{version_id}") { request, context in
            let (version, _) = try lookup(context)
            return try await resource.update(request, context, current: version, command: ConfigCommand.updateAPIVersion)
        }
        router.delete("/api/gateway/versions/{version_id}") { request, context in
            let (version, _) = try lookup(context)
            return try await resource.remove(request, context, .removeAPIVersion(version.id))
        }
        router.post("/api/gateway/versions/{version_id}/deprecate") { request, context in
            let (version, _) = try lookup(context)
            let body = try await JSONBody.object(request, context: context, allowEmpty: true)
            try JSONBody.allow(body, only: ["sunset_date"])
            let sunset = try JSONBody.decode(Deprecation.self, base: .emptyObject, patch: body).sunsetDate
            try await services.commands.execute([.deprecateAPIVersion(version.id, sunsetDate: sunset)], request: request, context: context)
            return try resource.show(services.state.apiVersions[version.id] ?? version, services.state)
        }
        router.post("/api/gateway/versions/{version_id}/sunset") { request, context in
            let (version, _) = try lookup(context)
            try await services.commands.execute([.sunsetAPIVersion(version.id)], request: request, context: context)
            return try resource.show(services.state.apiVersions[version.id] ?? version, services.state)
        }
    }

    /// The body of a deprecation: when the version will stop answering, if decided.
    private struct Deprecation: Codable {
        var sunsetDate: Timestamp?
        enum CodingKeys: String, CodingKey { case sunsetDate = "sunset_date" }
    }

    private func gatewayLookup(_ context: AdminContext) throws -> (Gateway, ConfigState) {
        try AdminServices.requireAdmin(context)
        let id: GatewayID = try context.parameters.id("gateway_id", "gateway")
        let state = services.state
        guard let gateway = state.gateways[id] else { throw AdminError.notFound("gateway") }
        return (gateway, state)
    }

    private func lookup(_ context: AdminContext) throws -> (APIVersion, ConfigState) {
        try AdminServices.requireAdmin(context)
        let id: APIVersionID = try context.parameters.id("version_id", "API version")
        let state = services.state
        guard let version = state.apiVersions[id] else { throw AdminError.notFound("API version") }
        return (version, state)
    }
}
