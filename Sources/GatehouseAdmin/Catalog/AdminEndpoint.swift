import GatehouseCore
import HTTPTypes

/// One admin endpoint as it is served and documented: method, path template, who may call it,
/// and what it takes and returns. The router, the access check and the OpenAPI document all
/// come from the same value, so they cannot disagree.
struct AdminEndpoint: Sendable {
    /// Who may call an endpoint.
    enum Access: String, Sendable {
        /// Anyone, without credentials.
        case open
        /// `system_admin` and `api_admin`.
        case admin
        /// Admins, and API consumers for what they own.
        case owner
    }

    var method: HTTPRequest.Method
    /// `/api/gateway/routes/{route_id}`.
    var path: String
    var summary: String
    /// The OpenAPI tag (resource group).
    var tag: String
    var access: Access
    /// The JSON body it reads, if any.
    var body: BodySchema?
    /// Status of a successful answer.
    var success: HTTPResponse.Status

    /// The `{name}` parameters in the path, in order.
    var pathParameters: [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }

    /// Whether `requestPath` matches this endpoint's template (each `{x}` is one segment).
    func matches(path requestPath: String) -> Bool {
        let template = path.split(separator: "/")
        let actual = requestPath.split(separator: "/")
        guard template.count == actual.count else { return false }
        return zip(template, actual).allSatisfy { pattern, segment in pattern.hasPrefix("{") || pattern == segment }
    }
}

/// A request body's documentation: its fields with JSON Schema types, and which are required.
struct BodySchema: Sendable {
    var properties: [String: JSONValue]
    var required: [String]

    /// The schema of an entity form: each writable field typed by its value in `template` (fields
    /// without a default are left untyped).
    init<Entity>(_ form: EntityForm<Entity>, template: Entity) {
        let encoded = (try? JSONValue(encoding: template)) ?? .emptyObject
        properties = Dictionary(uniqueKeysWithValues: form.writable.map { field in (field, Self.schema(of: encoded[field])) })
        required = form.required
    }

    init(properties: [String: JSONValue], required: [String] = []) {
        self.properties = properties
        self.required = required
    }

    private static func schema(of value: JSONValue?) -> JSONValue {
        switch value {
        case .string: .object(["type": .string("string")])
        case .number(let number): .object(["type": .string(number.rounded() == number ? "integer" : "number")])
        case .bool: .object(["type": .string("boolean")])
        case .array: .object(["type": .string("array")])
        case .object: .object(["type": .string("object")])
        case .null, .none: .object([:])
        }
    }
}
