import Foundation
import GatehouseCore
import Hummingbird

/// JSON responses of the admin API.
enum AdminResponse {
    /// `value` as a JSON body with `status`, and an `ETag` when a single entity's revision is known.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, revision: UInt64? = nil) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let revision { headers[.eTag] = Precondition.etag(revision) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder.admin.encode(value))))
    }

    /// 204 No Content.
    static var noContent: Response { Response(status: .noContent) }
}

extension JSONValue {
    /// This object with `fields` added (or replaced).
    func adding(_ fields: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object.merge(fields) { _, new in new }
        return .object(object)
    }

    /// A number from an integer.
    static func int(_ value: some BinaryInteger) -> JSONValue { .number(Double(value)) }

    /// A string, or null.
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
