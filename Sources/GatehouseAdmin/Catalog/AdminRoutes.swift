import Hummingbird

/// Collects admin endpoints — each with its handler — so the catalog is complete before the
/// router is built: the middleware (405 answers) and the OpenAPI document need all of it, and
/// Hummingbird wraps a route in the middleware present when the route is added.
final class AdminRoutes {
    typealias Handler = @Sendable (Request, AdminContext) async throws -> Response

    private(set) var endpoints: [AdminEndpoint] = []
    private var handlers: [Handler] = []

    /// Adds one endpoint. `.admin` endpoints refuse API consumers with 403 before `handler` runs.
    func add(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, tag: String, access: AdminEndpoint.Access = .admin,
        body: BodySchema? = nil, success: HTTPResponse.Status = .ok, _ handler: @escaping Handler
    ) {
        endpoints.append(AdminEndpoint(method: method, path: path, summary: summary, tag: tag, access: access, body: body, success: success))
        handlers.append { request, context in
            if access == .admin {
                guard try context.caller.isAdmin else { throw AdminError.forbidden("this endpoint needs the system_admin or api_admin role") }
            }
            return try await handler(request, context)
        }
    }

    /// Registers every endpoint on `router` (add its middleware first).
    func install(on router: Router<AdminContext>) {
        for (endpoint, handler) in zip(endpoints, handlers) {
            router.on(RouterPath(endpoint.path), method: endpoint.method, use: handler)
        }
    }
}
