import GatehouseCore
import GatehouseEngine
import Hummingbird

/// `/api/gateway/analytics/…`: the spec's overview, per-route and error analytics for a time
/// range (`?from=&to=` or `?range=24h`), from the metrics projection's buckets.
struct AnalyticsEndpoints {
    let services: AdminServices

    func register(on routes: AdminRoutes) {
        routes.add(.get, "/api/gateway/analytics/overview", "Traffic overview for a time range (from, to or range=24h)", tag: "analytics") { request, _ in
            let range = try TimeRange(request.uri.queryParameters)
            let analysis = try services.metrics.read { TrafficAnalysis($0, from: range.from, to: range.to) }
            return try AdminResponse.json(AnalyticsReports.overview(analysis, state: services.state))
        }
        routes.add(.get, "/api/gateway/analytics/routes/{route_id}", "One route's performance, patterns and top consumers", tag: "analytics") { request, context in
            let id: RouteID = try context.parameters.id("route_id", "route")
            let state = services.state
            guard let route = state.routes[id] else { throw AdminError.notFound("route") }
            let range = try TimeRange(request.uri.queryParameters)
            let analysis = try services.metrics.read { TrafficAnalysis($0, from: range.from, to: range.to, route: id) }
            return try AdminResponse.json(AnalyticsReports.route(route, analysis, state: state))
        }
        routes.add(.get, "/api/gateway/analytics/errors", "Most common errors, hourly error trends and affected routes", tag: "analytics") { request, _ in
            let range = try TimeRange(request.uri.queryParameters)
            let analysis = try services.metrics.read { TrafficAnalysis($0, from: range.from, to: range.to) }
            return try AdminResponse.json(AnalyticsReports.errors(analysis, state: services.state))
        }
    }
}
