import GatehouseCore
import GatehouseEngine
import Hummingbird

/// `/api/gateway/config…` and `/api/gateway/{gateway_id}/health`: gateways, with their instances
/// and today's traffic embedded as the spec's `GetGatewayConfigResponse` has them.
struct GatewayEndpoints {
    let services: AdminServices

    static let form = EntityForm<Gateway>(
        writable: [
            "name", "description", "base_url", "is_enabled", "is_default", "load_balancing_strategy", "health_check_interval",
            "timeout_config", "ssl_config", "cors_config",
        ],
        required: ["name", "base_url"]
    )

    func register(on router: Router<AdminContext>) {
        router.get("/api/gateway/config") { _, context in try await list(context) }
        router.post("/api/gateway/config") { request, context in try await create(request, context) }
        router.get("/api/gateway/config/{gateway_id}") { _, context in try await show(context) }
        router.put("/api/gateway/config/{gateway_id}") { request, context in try await update(request, context) }
        router.delete("/api/gateway/config/{gateway_id}") { request, context in try await remove(request, context) }
        router.get("/api/gateway/{gateway_id}/health") { _, context in try await health(context) }
    }

    private func list(_ context: AdminContext) async throws -> Response {
        try AdminServices.requireAdmin(context)
        let state = services.state
        let today = try OutcomeScan.tally(services.log, from: .now().startOfDay) { $0.gatewayID }
        let gateways = state.gateways.values.sorted { $0.name < $1.name }.map { view($0, state: state, today: today[$0.id] ?? OutcomeTally()) }
        return try AdminResponse.json(["gateways": gateways])
    }

    private func show(_ context: AdminContext) async throws -> Response {
        try AdminServices.requireAdmin(context)
        let (gateway, state) = try lookup(context)
        let today = try OutcomeScan.tally(services.log, from: .now().startOfDay) { $0.gatewayID == gateway.id ? true : nil }
        return try AdminResponse.json(
            ["gateway": view(gateway, state: state, today: today[true] ?? OutcomeTally())], revision: state.revision(of: gateway.id)
        )
    }

    private func create(_ request: Request, _ context: AdminContext) async throws -> Response {
        try AdminServices.requireAdmin(context)
        let body = try await JSONBody.object(request, context: context)
        let gateway = try Self.form.create(body, template: Gateway(name: "", baseURL: ""))
        try await services.commands.execute([.createGateway(gateway)], request: request, context: context)
        let state = services.state
        guard let created = state.gateways[gateway.id] else { throw AdminError.notFound("gateway") }
        return try AdminResponse.json(["gateway": view(created, state: state, today: OutcomeTally())], status: .created, revision: state.revision(of: created.id))
    }

    private func update(_ request: Request, _ context: AdminContext) async throws -> Response {
        try AdminServices.requireAdmin(context)
        let (current, _) = try lookup(context)
        let body = try await JSONBody.object(request, context: context)
        let gateway = try Self.form.update(body, current: current)
        try await services.commands.execute([.updateGateway(gateway)], request: request, context: context)
        return try await show(context)
    }

    private func remove(_ request: Request, _ context: AdminContext) async throws -> Response {
        try AdminServices.requireAdmin(context)
        let (gateway, _) = try lookup(context)
        try await services.commands.execute([.removeGateway(gateway.id)], request: request, context: context)
        return AdminResponse.noContent
    }

    private func health(_ context: AdminContext) async throws -> Response {
        try AdminServices.requireAdmin(context)
        let (gateway, state) = try lookup(context)
        let now = Timestamp.now()
        let instances = state.backendServices(in: gateway.id)
        let recent = try OutcomeScan.tally(services.log, from: now.adding(seconds: -300)) { outcome in
            outcome.gatewayID == gateway.id ? outcome.backendServiceID?.description ?? "" : nil
        }
        let overall = recent.values.reduce(into: OutcomeTally()) { $0.merge($1) }
        let report = GatewayHealthReport(gateway: gateway, instances: instances, breakers: state.circuitBreakers, observations: services.health(), recent: recent, overall: overall)
        return try AdminResponse.json(report)
    }

    private func lookup(_ context: AdminContext) throws -> (Gateway, ConfigState) {
        let id: GatewayID = try context.parameters.id("gateway_id", "gateway")
        let state = services.state
        guard let gateway = state.gateways[id] else { throw AdminError.notFound("gateway") }
        return (gateway, state)
    }

    private func view(_ gateway: Gateway, state: ConfigState, today: OutcomeTally) -> JSONValue {
        let instances = state.backendServices(in: gateway.id).map { (try? JSONValue(encoding: $0)) ?? .null }
        return ((try? JSONValue(encoding: gateway)) ?? .null).adding([
            "backend_services": .array(instances),
            "total_routes": .int(state.routes(in: gateway.id).count),
            "total_requests_today": .int(today.requests),
            "average_response_time": .number(today.averageMilliseconds),
            "revision": .int(state.revision(of: gateway.id) ?? 0),
        ])
    }
}
