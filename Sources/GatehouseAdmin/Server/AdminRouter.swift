import Hummingbird

/// Every admin endpoint, behind the request-id/error and authentication middleware.
enum AdminRouter {
    static func build(services: AdminServices, authenticator: AdminAuthenticator) -> Router<AdminContext> {
        let router = Router(context: AdminContext.self)
        router.add(middleware: AdminRequestMiddleware())
        router.add(middleware: AdminAuthMiddleware(authenticator: authenticator))
        router.get("/healthz") { _, _ in try AdminResponse.json(["status": "ok"]) }
        GatewayEndpoints(services: services).register(on: router)
        BackendServiceEndpoints(services: services).register(on: router)
        RouteEndpoints(services: services).register(on: router)
        APIKeyEndpoints(services: services).register(on: router)
        RateLimitPolicyEndpoints(services: services).register(on: router)
        APIVersionEndpoints(services: services).register(on: router)
        return router
    }
}
