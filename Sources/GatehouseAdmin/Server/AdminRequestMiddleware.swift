import Foundation
import HTTPTypes
import Hummingbird

/// Outermost admin middleware: gives every request its id (the caller's `X-Request-ID` when it is
/// sane, else a new UUID), echoes it on every response, and turns every failure — ours, the
/// router's 404/405, body-size limits — into the JSON error body.
struct AdminRequestMiddleware: RouterMiddleware {
    typealias Context = AdminContext
    /// The served endpoints, to tell "no such path" (404) from "not with this method" (405).
    let endpoints: [AdminEndpoint]

    func handle(_ request: Request, context: AdminContext, next: (Request, AdminContext) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = Self.requestID(from: request)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as AdminError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPResponseError {
            response = try translate(error, request: request).response(from: request, context: context)
        } catch {
            context.logger.error("admin request failed", metadata: ["error": "\(error)"])
            response = try AdminError(.internalServerError, "internal_error", "internal error").response(from: request, context: context)
        }
        response.headers[.xRequestID] = context.requestID
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }

    private func translate(_ error: some HTTPResponseError, request: Request) -> AdminError {
        let allowed = endpoints.filter { $0.matches(path: request.uri.path) }.map(\.method.rawValue)
        switch error.status {
        case .notFound where !allowed.isEmpty:
            return AdminError(
                .methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed on \(request.uri.path)",
                headers: [.allow: Set(allowed).sorted().joined(separator: ", ")]
            )
        case .notFound: return AdminError(.notFound, "route_not_found", "no admin endpoint at \(request.method.rawValue) \(request.uri.path)")
        case .contentTooLarge: return AdminError(.contentTooLarge, "body_too_large", "the request body is larger than 1 MiB")
        default: return AdminError(error.status, "http_\(error.status.code)", error.status.reasonPhrase)
        }
    }

    private static func requestID(from request: Request) -> String {
        if let given = request.headers[.xRequestID], (1 ... 128).contains(given.utf8.count),
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return UUID().uuidString.lowercased()
    }
}

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    static let xAPIKey = HTTPField.Name("X-API-Key")!
}
