import GatehouseCore
import Hummingbird

/// `/api/gateway/{gateway_id}/services…`: a gateway's upstream instances (the spec's
/// `backend_services`): register, change, deregister.
struct BackendServiceEndpoints {
    let services: AdminServices

    private var resource: EntityResource<BackendService> {
        EntityResource(
            services: services, name: "backend_service",
            form: EntityForm(
                writable: [
                    "service_name", "service_version", "service_url", "health_check_endpoint", "weight", "priority", "max_connections",
                    "timeout_ms", "retry_attempts", "circuit_breaker_config", "metadata",
                ],
                required: ["service_name", "service_url"]
            ),
            find: { state, id in state.backendServices[id] },
            view: { service, state in
                ((try? JSONValue(encoding: service)) ?? .null).adding([
                    "circuit_breaker_state": .string((state.circuitBreakers[service.id]?.currentState ?? .closed).rawValue),
                    "revision": .int(state.revision(of: service.id) ?? 0),
                ])
            }
        )
    }

    func register(on router: Router<AdminContext>) {
        router.get("/api/gateway/{gateway_id}/services") { _, context in
            let (gateway, state) = try gatewayLookup(context)
            return try resource.list(state.backendServices(in: gateway.id), plural: "backend_services", state)
        }
        router.post("/api/gateway/{gateway_id}/services") { request, context in
            let (gateway, _) = try gatewayLookup(context)
            let template = BackendService(gatewayID: gateway.id, serviceName: "", serviceURL: "")
            return try await resource.create(request, context, template: template, command: ConfigCommand.registerBackendService)
        }
        router.get("/api/gateway/{gateway_id}/services/{service_id}") { _, context in
            let (service, state) = try lookup(context)
            return try resource.show(service, state)
        }
        router.put("/api/gateway/{gateway_id}/services/{service_id}") { request, context in
            let (service, _) = try lookup(context)
            return try await resource.update(request, context, current: service, command: ConfigCommand.updateBackendService)
        }
        router.delete("/api/gateway/{gateway_id}/services/{service_id}") { request, context in
            let (service, _) = try lookup(context)
            return try await resource.remove(request, context, .deregisterBackendService(service.id))
        }
    }

    /// The gateway named in the path (admins only).
    private func gatewayLookup(_ context: AdminContext) throws -> (Gateway, ConfigState) {
        try AdminServices.requireAdmin(context)
        let id: GatewayID = try context.parameters.id("gateway_id", "gateway")
        let state = services.state
        guard let gateway = state.gateways[id] else { throw AdminError.notFound("gateway") }
        return (gateway, state)
    }

    private func lookup(_ context: AdminContext) throws -> (BackendService, ConfigState) {
        let (gateway, state) = try gatewayLookup(context)
        let id: BackendServiceID = try context.parameters.id("service_id", "backend service")
        guard let service = state.backendServices[id], service.gatewayID == gateway.id else { throw AdminError.notFound("backend service") }
        return (service, state)
    }
}
