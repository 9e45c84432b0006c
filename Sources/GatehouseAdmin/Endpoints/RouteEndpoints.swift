import GatehouseCore
import GatehouseEngine
import Hummingbird

/// `/api/gateway/{gateway_id}/routes` and `/api/gateway/routes/{route_id}`: the spec's route
/// management, each route shown with its backend and last-24-hours `performance_stats`.
struct RouteEndpoints {
    let services: AdminServices

    static let form = EntityForm<Route>(
        writable: [
            "route_path", "route_method", "backend_service_id", "upstream_path", "is_enabled", "route_priority", "api_version_id",
            "middleware_config", "rate_limit_config", "auth_requirements", "cache_config", "transformation_config",
        ],
        required: ["route_path", "route_method", "backend_service_id"]
    )
    private static let schema = BodySchema(form, template: Route(gatewayID: GatewayID(), routePath: "/", routeMethod: .get, backendServiceID: BackendServiceID()))

    func register(on routes: AdminRoutes) {
        routes.add(.get, "/api/gateway/{gateway_id}/routes", "List a gateway's routes with 24-hour performance stats (filters: method, is_enabled)", tag: "routes") { request, context in try list(request, context) }
        routes.add(.post, "/api/gateway/{gateway_id}/routes", "Define a route", tag: "routes", body: Self.schema, success: .created) { request, context in try await create(request, context) }
        routes.add(.get, "/api/gateway/routes/{route_id}", "Show a route", tag: "routes") { _, context in try show(context) }
        routes.add(.put, "/api/gateway/routes/{route_id}", "Change a route", tag: "routes", body: Self.schema) { request, context in try await update(request, context) }
        routes.add(.delete, "/api/gateway/routes/{route_id}", "Remove a route", tag: "routes", success: .noContent) { request, context in try await remove(request, context) }
    }

    private func list(_ request: Request, _ context: AdminContext) throws -> Response {
        let (gateway, state) = try services.gateway(context)
        var routes = state.routes(in: gateway.id)
        if let method = request.uri.queryParameters.get("method") { routes = routes.filter { $0.routeMethod.rawValue == method.uppercased() } }
        if let enabled = request.uri.queryParameters.get("is_enabled") { routes = routes.filter { String($0.isEnabled) == enabled } }
        let stats = try last24Hours()
        return try AdminResponse.json([
            "routes": .array(routes.map { view($0, state, stats[$0.id] ?? MetricTally()) }), "total_count": JSONValue.int(routes.count),
        ])
    }

    private func show(_ context: AdminContext) throws -> Response {
        let (route, state) = try lookup(context)
        return try respond(route.id, state: state, status: .ok)
    }

    private func create(_ request: Request, _ context: AdminContext) async throws -> Response {
        let id = try services.gateway(context).0.id
        let body = Self.normalised(try await JSONBody.object(request, context: context))
        let template = Route(gatewayID: id, routePath: "/", routeMethod: .get, backendServiceID: BackendServiceID())
        let route = try Self.form.create(body, template: template)
        try await services.commands.execute([.defineRoute(route)], request: request, context: context)
        return try respond(route.id, state: services.state, status: .created)
    }

    private func update(_ request: Request, _ context: AdminContext) async throws -> Response {
        let (current, _) = try lookup(context)
        let body = Self.normalised(try await JSONBody.object(request, context: context))
        let route = try Self.form.update(body, current: current)
        try await services.commands.execute([.updateRoute(route)], request: request, context: context)
        return try respond(route.id, state: services.state, status: .ok)
    }

    private func remove(_ request: Request, _ context: AdminContext) async throws -> Response {
        let (route, _) = try lookup(context)
        try await services.commands.execute([.removeRoute(route.id)], request: request, context: context)
        return AdminResponse.noContent
    }

    /// Methods are accepted in any case, as HTTP clients write them.
    private static func normalised(_ body: [String: JSONValue]) -> [String: JSONValue] {
        var body = body
        if case .string(let method) = body["route_method"] { body["route_method"] = .string(method.uppercased()) }
        return body
    }

    private func respond(_ id: RouteID, state: ConfigState, status: HTTPResponse.Status) throws -> Response {
        guard let route = state.routes[id] else { throw AdminError.notFound("route") }
        let stats = try last24Hours()
        return try AdminResponse.json(["route": view(route, state, stats[id] ?? MetricTally())], status: status, revision: state.revision(of: id))
    }

    /// The routes' tallies over the last 24 hours, from the metrics projection.
    private func last24Hours() throws -> [RouteID: MetricTally] {
        let now = Timestamp.now()
        let tallies = try services.metrics.read { buckets in
            buckets.tallies(from: now.adding(seconds: -86_400), to: now) { if case .route = $0 { true } else { false } }
        }
        return Dictionary(uniqueKeysWithValues: tallies.compactMap { dimension, tally in
            if case .route(let id) = dimension { (id, tally) } else { nil }
        })
    }

    private func lookup(_ context: AdminContext) throws -> (Route, ConfigState) {
        let id: RouteID = try context.parameters.id("route_id", "route")
        let state = services.state
        guard let route = state.routes[id] else { throw AdminError.notFound("route") }
        return (route, state)
    }

    private func view(_ route: Route, _ state: ConfigState, _ stats: MetricTally) -> JSONValue {
        let backend = state.backendServices[route.backendServiceID]
        return ((try? JSONValue(encoding: route)) ?? .null).adding([
            "backend_service": .object([
                "id": .string(route.backendServiceID.description), "service_name": .optional(backend?.serviceName),
                "service_url": .optional(backend?.serviceURL), "is_healthy": .bool(backend?.isHealthy ?? false),
            ]),
            "performance_stats": .object([
                "total_requests_24h": .int(stats.requests), "average_response_time": .number(stats.averageMilliseconds),
                "error_rate": .number(stats.errorRate), "cache_hit_rate": .number(stats.cacheHitRate),
            ]),
            "revision": .int(state.revision(of: route.id) ?? 0),
        ])
    }
}
