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
        let services = services
        resource.register(
            ResourceEndpoints(
                collection: "/api/gateway/{gateway_id}/services", item: "/api/gateway/{gateway_id}/services/{service_id}",
                tag: "backend services", plural: "backend_services",
                summaries: .init(
                    list: "List a gateway's backend service instances", create: "Register a backend service instance",
                    show: "Show a backend service instance", update: "Change a backend service instance",
                    remove: "Deregister a backend service instance (refused while a route targets it)"
                ),
                all: { context in
                    let (gateway, state) = try services.gateway(context)
                    return (state.backendServices(in: gateway.id), state)
                },
                template: { context in BackendService(gatewayID: try services.gateway(context).0.id, serviceName: "", serviceURL: "") },
                find: { context in try Self.lookup(context, services) },
                create: ConfigCommand.registerBackendService, update: ConfigCommand.updateBackendService,
                remove: ConfigCommand.deregisterBackendService
            ),
            schemaTemplate: BackendService(gatewayID: GatewayID(), serviceName: "", serviceURL: ""), on: routes
        )
    }

    private static func lookup(_ context: AdminContext, _ services: AdminServices) throws -> (BackendService, ConfigState) {
        let (gateway, state) = try services.gateway(context)
        let id: BackendServiceID = try context.parameters.id("service_id", "backend service")
        guard let service = state.backendServices[id], service.gatewayID == gateway.id else { throw AdminError.notFound("backend service") }
        return (service, state)
    }
}
