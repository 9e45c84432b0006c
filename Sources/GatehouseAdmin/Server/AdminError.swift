import Foundation
import GatehouseCore
import Hummingbird

/// A refused admin request: an HTTP status, a stable machine-readable code and a message, sent
/// as the spec's error body `{"error", "code", "request_id", "timestamp"}` (plus `field` when one
/// field is at fault).
public struct AdminError: Error, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    /// Stable code, e.g. `unknown_field`, `not_found`, `revision_mismatch`.
    public var code: String
    public var message: String
    /// The snake_case path of the offending field, when there is one.
    public var field: String?
    /// Extra response headers (`WWW-Authenticate`, `Allow`, `ETag`).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? AdminContext)?.requestID ?? request.headers[.init("X-Request-ID")!] ?? ""
        var body: [String: String] = [
            "error": message, "code": code, "request_id": requestID, "timestamp": Timestamp.now().rfc3339,
        ]
        if let field { body["field"] = field }
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try JSONEncoder.admin.encode(body)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension AdminError {
    static func notFound(_ what: String) -> AdminError { AdminError(.notFound, "not_found", "\(what) not found") }

    static func forbidden(_ message: String) -> AdminError { AdminError(.forbidden, "forbidden", message) }

    /// The status and code for a refusal from the configuration decider.
    init(_ error: ConfigError) {
        let status: HTTPResponse.Status = switch error.code {
        case .invalidField, .referenceNotFound: .unprocessableContent
        case .notFound: .notFound
        case .duplicate, .inUse: .conflict
        case .revisionMismatch: .preconditionFailed
        }
        self.init(status, error.code.rawValue, error.message, field: error.field)
    }
}
