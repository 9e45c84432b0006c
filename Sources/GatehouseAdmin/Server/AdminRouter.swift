import GatehouseCore
import Hummingbird

/// Every admin endpoint, behind the request-id/error and authentication middleware, plus the
/// OpenAPI document generated from the same catalog.
enum AdminRouter {
    /// The package version reported in the OpenAPI document.
    static let version = "0.4.0"

    static func build(services: AdminServices, authenticator: AdminAuthenticator, routeTest: RouteTestTarget?) -> Router<AdminContext> {
        let routes = AdminRoutes()
        routes.add(.get, "/healthz", "Liveness of the admin listener", tag: "meta", access: .open) { _, _ in try AdminResponse.json(["status": "ok"]) }
        GatewayEndpoints(services: services).register(on: routes)
        BackendServiceEndpoints(services: services).register(on: routes)
        RouteEndpoints(services: services).register(on: routes)
        RouteTestEndpoints(services: services, target: routeTest).register(on: routes)
        APIKeyEndpoints(services: services).register(on: routes)
        RateLimitPolicyEndpoints(services: services).register(on: routes)
        APIVersionEndpoints(services: services).register(on: routes)
        RequestLogEndpoints(services: services).register(on: routes)
        AnalyticsEndpoints(services: services).register(on: routes)
        CacheEndpoints(services: services, target: routeTest).register(on: routes)
        MetricsEndpoint(services: services).register(on: routes)
        AlertEndpoints(services: services).register(on: routes)
        let documentEndpoint = AdminEndpoint(
            method: .get, path: "/api/gateway/openapi.json", summary: "This document (OpenAPI 3.1)", tag: "meta", access: .open, body: nil, success: .ok
        )
        let document = OpenAPIDocument.build(routes.endpoints + [documentEndpoint], version: version)
        routes.add(.get, documentEndpoint.path, documentEndpoint.summary, tag: documentEndpoint.tag, access: .open) { _, _ in
            try AdminResponse.json(document)
        }
        let catalog = routes.endpoints
        let router = Router(context: AdminContext.self)
        router.add(middleware: AdminRequestMiddleware(endpoints: catalog))
        router.add(middleware: AdminAuthMiddleware(authenticator: authenticator, openPaths: Set(catalog.filter { $0.access == .open }.map(\.path))))
        routes.install(on: router)
        return router
    }

}
