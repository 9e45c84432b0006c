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

    func register(on routes: AdminRoutes) {
        let schema = BodySchema(resource.form, template: BackendService(gatewayID: GatewayID(), serviceName: "", serviceURL: ""))
        routes.add(.get, "/api/gateway/{gateway_id}/services", "List a gateway's backend service instances", tag: "backend services") { _, context in
            let (gateway, state) = try services.gateway(context)
            return try resource.list(state.backendServices(in: gateway.id), plural: "backend_services", state)
        }
        routes.add(.post, "/api/gateway/{gateway_id}/services", "Register a backend service instance", tag: "backend services", body: schema, success: .created) { request, context in
            let (gateway, _) = try services.gateway(context)
            let template = BackendService(gatewayID: gateway.id, serviceName: "", serviceURL: "")
            return try await resource.create(request, context, template: template, command: ConfigCommand.registerBackendService)
        }
        routes.add(.get, "/api/gateway/{gateway_id}/services/{service_id}", "Show a backend service instance", tag: "backend services") { _, context in
            let (service, state) = try lookup(context)
            return try resource.show(service, state)
        }
        routes.add(.put, "/api/gateway/{gateway_id}/services/{service_id}", "Change a backend service instance", tag: "backend services", body: schema) { request, context in
            let (service, _) = try lookup(context)
            return try await resource.update(request, context, current: service, command: ConfigCommand.updateBackendService)
        }
        routes.add(.delete, "/api/gateway/{gateway_id}/services/{service_id}", "Deregister a backend service instance (refused while a route targets it)", tag: "backend services", success: .noContent) { request, context in
            let (service, _) = try lookup(context)
            return try await resource.remove(request, context, .deregisterBackendService(service.id))
        }
    }


    private func lookup(_ context: AdminContext) throws -> (BackendService, ConfigState) {
        let (gateway, state) = try services.gateway(context)
        let id: BackendServiceID = try context.parameters.id("service_id", "backend service")
        guard let service = state.backendServices[id], service.gatewayID == gateway.id else { throw AdminError.notFound("backend service") }
        return (service, state)
    }
}
