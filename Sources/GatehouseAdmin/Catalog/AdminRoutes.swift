import Hummingbird

/// Registers admin endpoints: each goes into the router (behind its access check) and into the
/// catalog the OpenAPI document and the 405 answers are built from.
final class AdminRoutes {
    let router: Router<AdminContext>
    private(set) var endpoints: [AdminEndpoint] = []

    init(router: Router<AdminContext>) { self.router = router }

    /// Adds one endpoint. `.admin` endpoints refuse API consumers with 403 before `handler` runs.
    func add(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, tag: String, access: AdminEndpoint.Access = .admin,
        body: BodySchema? = nil, success: HTTPResponse.Status = .ok,
        _ handler: @escaping @Sendable (Request, AdminContext) async throws -> Response
    ) {
        endpoints.append(AdminEndpoint(method: method, path: path, summary: summary, tag: tag, access: access, body: body, success: success))
        router.on(RouterPath(path), method: method) { request, context in
            if access == .admin {
                guard try context.caller.isAdmin else { throw AdminError.forbidden("this endpoint needs the system_admin or api_admin role") }
            }
            return try await handler(request, context)
        }
    }
}
