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
            "timeout_config", "ssl_config", "cors_config", "ip_restriction", "jwt_config", "oauth_introspection", "alerting",
        ],
        required: ["name", "base_url"]
    )
    private static let schema = BodySchema(form, template: Gateway(name: "", baseURL: ""))

    func register(on routes: AdminRoutes) {
        routes.add(.get, "/api/gateway/config", "List gateways with their instances and today's traffic", tag: "gateways") { _, context in try await list(context) }
        routes.add(.post, "/api/gateway/config", "Create a gateway", tag: "gateways", body: Self.schema, success: .created) { request, context in try await create(request, context) }
        routes.add(.get, "/api/gateway/config/{gateway_id}", "Show a gateway", tag: "gateways") { _, context in try await show(context) }
        routes.add(.put, "/api/gateway/config/{gateway_id}", "Change a gateway (fields omitted keep their value)", tag: "gateways", body: Self.schema) { request, context in try await update(request, context) }
        routes.add(.delete, "/api/gateway/config/{gateway_id}", "Remove a gateway with its routes, instances, versions and documents", tag: "gateways", success: .noContent) { request, context in try await remove(request, context) }
        routes.add(.get, "/api/gateway/{gateway_id}/health", "Gateway and instance health, last five minutes' p95 and error rate", tag: "gateways") { _, context in try await health(context) }
    }

    private func list(_ context: AdminContext) async throws -> Response {
        let state = services.state
        let today = try self.today { if case .gateway = $0 { true } else { false } }
        let gateways = state.gateways.values.sorted { $0.name < $1.name }.map { view($0, state: state, today: today[.gateway($0.id)] ?? MetricTally()) }
        return try AdminResponse.json(["gateways": gateways])
    }

    private func show(_ context: AdminContext) async throws -> Response {
        let (gateway, state) = try services.gateway(context)
        let today = try self.today { $0 == .gateway(gateway.id) }
        return try AdminResponse.json(
            ["gateway": view(gateway, state: state, today: today[.gateway(gateway.id)] ?? MetricTally())], revision: state.revision(of: gateway.id)
        )
    }

    private func create(_ request: Request, _ context: AdminContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        let gateway = try Self.form.create(body, template: Gateway(name: "", baseURL: ""))
        try await services.commands.execute([.createGateway(gateway)], request: request, context: context)
        let state = services.state
        guard let created = state.gateways[gateway.id] else { throw AdminError.notFound("gateway") }
        return try AdminResponse.json(["gateway": view(created, state: state, today: MetricTally())], status: .created, revision: state.revision(of: created.id))
    }

    private func update(_ request: Request, _ context: AdminContext) async throws -> Response {
        let (current, _) = try services.gateway(context)
        let body = try await JSONBody.object(request, context: context)
        let gateway = try Self.form.update(body, current: current)
        try await services.commands.execute([.updateGateway(gateway)], request: request, context: context)
        return try await show(context)
    }

    private func remove(_ request: Request, _ context: AdminContext) async throws -> Response {
        let (gateway, _) = try services.gateway(context)
        try await services.commands.execute([.removeGateway(gateway.id)], request: request, context: context)
        return AdminResponse.noContent
    }

    private func health(_ context: AdminContext) async throws -> Response {
        let (gateway, state) = try services.gateway(context)
        let now = Timestamp.now()
        let instances = state.backendServices(in: gateway.id)
        let ids = Set(instances.map(\.id))
        let (recent, overall) = try services.metrics.read { buckets in
            let tallies = buckets.tallies(from: now.adding(seconds: -300), to: now) { dimension in
                switch dimension {
                case .gateway(let id): id == gateway.id
                case .backend(let id): ids.contains(id)
                default: false
                }
            }
            let recent = Dictionary(uniqueKeysWithValues: tallies.compactMap { dimension, tally -> (BackendServiceID, MetricTally)? in
                if case .backend(let id) = dimension { (id, tally) } else { nil }
            })
            return (recent, tallies[.gateway(gateway.id)] ?? MetricTally())
        }
        let report = GatewayHealthReport(gateway: gateway, instances: instances, breakers: state.circuitBreakers, observations: services.health(), recent: recent, overall: overall)
        return try AdminResponse.json(report)
    }


    /// Today's (UTC) tallies of the dimensions `select` picks, from the metrics projection.
    private func today(_ select: (MetricDimension) -> Bool) throws -> MetricsBuckets.Tallies {
        let now = Timestamp.now()
        return try services.metrics.read { $0.tallies(from: now.startOfDay, to: now, where: select) }
    }

    private func view(_ gateway: Gateway, state: ConfigState, today: MetricTally) -> JSONValue {
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
