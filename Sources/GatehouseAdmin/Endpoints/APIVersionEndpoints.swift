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

    func register(on routes: AdminRoutes) {
        let schema = BodySchema(resource.form, template: APIVersion(gatewayID: GatewayID(), versionName: "", versionNumber: ""))
        routes.add(.get, "/api/gateway/{gateway_id}/versions", "List a gateway's API versions", tag: "api versions") { _, context in
            let (gateway, state) = try services.gateway(context)
            return try resource.list(state.apiVersions(in: gateway.id), plural: "api_versions", state)
        }
        routes.add(.post, "/api/gateway/{gateway_id}/versions", "Publish an API version", tag: "api versions", body: schema, success: .created) { request, context in
            let (gateway, _) = try services.gateway(context)
            let template = APIVersion(gatewayID: gateway.id, versionName: "", versionNumber: "")
            return try await resource.create(request, context, template: template, command: ConfigCommand.publishAPIVersion)
        }
        routes.add(.get, "/api/gateway/versions/{version_id}", "Show an API version", tag: "api versions") { _, context in
            let (version, state) = try lookup(context)
            return try resource.show(version, state)
        }
        routes.add(.put, "/api/gateway/versions/{version_id}", "Change an API version", tag: "api versions", body: schema) { request, context in
            let (version, _) = try lookup(context)
            return try await resource.update(request, context, current: version, command: ConfigCommand.updateAPIVersion)
        }
        routes.add(.delete, "/api/gateway/versions/{version_id}", "Remove an API version (refused while routes use it)", tag: "api versions", success: .noContent) { request, context in
            let (version, _) = try lookup(context)
            return try await resource.remove(request, context, .removeAPIVersion(version.id))
        }
        routes.add(.post, "/api/gateway/versions/{version_id}/deprecate", "Deprecate an API version, optionally with a sunset date", tag: "api versions", body: BodySchema(properties: ["sunset_date": .object(["type": "string", "format": "date-time"])])) { request, context in
            let (version, _) = try lookup(context)
            let body = try await JSONBody.object(request, context: context, allowEmpty: true)
            try JSONBody.allow(body, only: ["sunset_date"])
            let sunset = try JSONBody.decode(Deprecation.self, base: .emptyObject, patch: body).sunsetDate
            try await services.commands.execute([.deprecateAPIVersion(version.id, sunsetDate: sunset)], request: request, context: context)
            return try resource.show(services.state.apiVersions[version.id] ?? version, services.state)
        }
        routes.add(.post, "/api/gateway/versions/{version_id}/sunset", "Sunset an API version now", tag: "api versions") { request, context in
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


    private func lookup(_ context: AdminContext) throws -> (APIVersion, ConfigState) {
        let id: APIVersionID = try context.parameters.id("version_id", "API version")
        let state = services.state
        guard let version = state.apiVersions[id] else { throw AdminError.notFound("API version") }
        return (version, state)
    }
}
