import Foundation
import GatehouseCore
import Hummingbird

/// Strict reading of admin request bodies: a JSON object, only the fields the resource lets a
/// caller write, values of the right types — each failure a 400 naming the field.
///
/// Entities are built by merging the body over a base object (defaults on create, the current
/// entity on update) and decoding the result, so omitted fields keep their value and `null`
/// resets one (RFC 7396 semantics).
enum JSONBody {
    /// The body as a JSON object; an empty body is `{}` only when `allowEmpty`.
    static func object(_ request: Request, context: AdminContext, allowEmpty: Bool = false) async throws -> [String: JSONValue] {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 {
            if allowEmpty { return [:] }
            throw AdminError(.badRequest, "invalid_json", "a JSON object body is required")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw AdminError(.badRequest, "invalid_json", "the body is not valid JSON")
        }
        guard case .object(let object) = value else { throw AdminError(.badRequest, "invalid_json", "the body must be a JSON object") }
        return object
    }

    /// Refuses any top-level field outside `writable`.
    static func allow(_ object: [String: JSONValue], only writable: Set<String>) throws {
        if let unknown = object.keys.sorted().first(where: { !writable.contains($0) }) {
            throw AdminError(.badRequest, "unknown_field", "unknown or read-only field '\(unknown)'", field: unknown)
        }
    }

    /// Refuses a body that lacks any of `fields` (or sets one to null).
    static func require(_ object: [String: JSONValue], _ fields: [String]) throws {
        for field in fields {
            guard let value = object[field], value != .null else {
                throw AdminError(.badRequest, "missing_field", "'\(field)' is required", field: field)
            }
        }
    }

    /// `base` with `patch` merged over it, decoded as `T`. Nested fields the type does not know
    /// are refused, as are values of the wrong type.
    static func decode<T: Codable>(_ type: T.Type, base: JSONValue, patch: [String: JSONValue]) throws -> T {
        let merged = base.merging(.object(patch))
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: JSONEncoder().encode(merged))
        } catch let error as DecodingError {
            throw Self.error(error)
        } catch {
            throw AdminError(.badRequest, "invalid_json", "\(error)")
        }
        if let path = firstUnknownField(input: .object(patch), known: (try? JSONValue(encoding: value)) ?? .null, path: "") {
            throw AdminError(.badRequest, "unknown_field", "unknown field '\(path)'", field: path)
        }
        return value
    }

    private static func firstUnknownField(input: JSONValue, known: JSONValue, path: String) -> String? {
        switch (input, known) {
        case (.object(let given), .object(let accepted)):
            for (key, value) in given.sorted(by: { $0.key < $1.key }) where value != .null {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let acceptedValue = accepted[key] else { return child }
                if let found = firstUnknownField(input: value, known: acceptedValue, path: child) { return found }
            }
            return nil
        case (.array(let given), .array(let accepted)) where given.count == accepted.count:
            for (index, value) in given.enumerated() {
                if let found = firstUnknownField(input: value, known: accepted[index], path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    private static func error(_ error: DecodingError) -> AdminError {
        switch error {
        case .typeMismatch(let type, let context):
            let field = fieldPath(context.codingPath)
            return AdminError(.badRequest, "invalid_type", "'\(field)' must be \(describe(type))", field: field)
        case .valueNotFound(_, let context):
            let field = fieldPath(context.codingPath)
            return AdminError(.badRequest, "missing_field", "'\(field)' must not be null", field: field)
        case .keyNotFound(let key, let context):
            let field = fieldPath(context.codingPath + [key])
            return AdminError(.badRequest, "missing_field", "'\(field)' is required", field: field)
        case .dataCorrupted(let context):
            let field = fieldPath(context.codingPath)
            return AdminError(.badRequest, "invalid_value", "'\(field)': \(context.debugDescription)", field: field)
        @unknown default:
            return AdminError(.badRequest, "invalid_json", "\(error)")
        }
    }

    private static func fieldPath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { result, key in
            if let index = key.intValue { result += "[\(index)]" } else { result += result.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "\(type)".contains("Dictionary") ? "an object" : "of type \(type)"
        }
    }
}

extension JSONValue {
    /// `value` as JSON.
    init(encoding value: some Encodable) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }
}
