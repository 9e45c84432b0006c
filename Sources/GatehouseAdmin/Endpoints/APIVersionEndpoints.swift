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
                    "rollout",
                ],
                required: ["version_name", "version_number"]
            ),
            find: { state, id in state.apiVersions[id] },
            view: { version, state in ((try? JSONValue(encoding: version)) ?? .null).adding(["revision": .int(state.revision(of: version.id) ?? 0)]) }
        )
    }

    func register(on routes: AdminRoutes) {
        let services = services
        resource.register(
            ResourceEndpoints(
                collection: "/api/gateway/{gateway_id}/versions", item: "/api/gateway/versions/{version_id}",
                tag: "api versions", plural: "api_versions",
                summaries: .init(
                    list: "List a gateway's API versions", create: "Publish an API version", show: "Show an API version",
                    update: "Change an API version", remove: "Remove an API version (refused while routes use it)"
                ),
                all: { context in
                    let (gateway, state) = try services.gateway(context)
                    return (state.apiVersions(in: gateway.id), state)
                },
                template: { context in APIVersion(gatewayID: try services.gateway(context).0.id, versionName: "", versionNumber: "") },
                find: { context in try Self.lookup(context, services) },
                create: ConfigCommand.publishAPIVersion, update: ConfigCommand.updateAPIVersion, remove: ConfigCommand.removeAPIVersion
            ),
            schemaTemplate: APIVersion(gatewayID: GatewayID(), versionName: "", versionNumber: ""), on: routes
        )
        routes.add(.post, "/api/gateway/versions/{version_id}/deprecate", "Deprecate an API version, optionally with a sunset date", tag: "api versions", body: BodySchema(properties: ["sunset_date": .object(["type": "string", "format": "date-time"])])) { request, context in
            let (version, _) = try Self.lookup(context, services)
            let body = try await JSONBody.object(request, context: context, allowEmpty: true)
            try JSONBody.allow(body, only: ["sunset_date"])
            let sunset = try JSONBody.decode(Deprecation.self, base: .emptyObject, patch: body).sunsetDate
            try await services.commands.execute([.deprecateAPIVersion(version.id, sunsetDate: sunset)], request: request, context: context)
            return try resource.show(services.state.apiVersions[version.id] ?? version, services.state)
        }
        routes.add(.post, "/api/gateway/versions/{version_id}/sunset", "Sunset an API version now", tag: "api versions") { request, context in
            let (version, _) = try Self.lookup(context, services)
            try await services.commands.execute([.sunsetAPIVersion(version.id)], request: request, context: context)
            return try resource.show(services.state.apiVersions[version.id] ?? version, services.state)
        }
    }

    /// The body of a deprecation: when the version will stop answering, if decided.
    private struct Deprecation: Codable {
        var sunsetDate: Timestamp?
        enum CodingKeys: String, CodingKey { case sunsetDate = "sunset_date" }
    }

    private static func lookup(_ context: AdminContext, _ services: AdminServices) throws -> (APIVersion, ConfigState) {
        let id: APIVersionID = try context.parameters.id("version_id", "API version")
        let state = services.state
        guard let version = state.apiVersions[id] else { throw AdminError.notFound("API version") }
        return (version, state)
    }
}
