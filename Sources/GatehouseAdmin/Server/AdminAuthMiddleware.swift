import GatehouseCore
import Hummingbird

/// Authenticates every admin request except those to open endpoints (the OpenAPI document and
/// the liveness probe), putting the caller in ``AdminContext/principal``.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = AdminContext
    let authenticator: AdminAuthenticator
    /// Paths anyone may read.
    let openPaths: Set<String>

    func handle(_ request: Request, context: AdminContext, next: (Request, AdminContext) async throws -> Response) async throws -> Response {
        guard !openPaths.contains(request.uri.path) else { return try await next(request, context) }
        var context = context
        context.principal = try await authenticator.authenticate(
            authorization: request.headers[.authorization], apiKey: request.headers[.xAPIKey], now: .now()
        )
        return try await next(request, context)
    }
}
