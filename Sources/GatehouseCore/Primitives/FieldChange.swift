import Foundation

/// One changed field of an entity, old and new value, as carried by every `…Updated` event so
/// audit diffs need no second read.
public struct FieldChange: Sendable, Hashable, Codable {
    /// The snake_case field name.
    public var field: String
    /// The value before (`null` when absent).
    public var old: JSONValue
    /// The value after (`null` when absent).
    public var new: JSONValue

    public init(field: String, old: JSONValue, new: JSONValue) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// The top-level fields that differ between two encodings of an entity, sorted by name.
    /// Fields in `ignoring` (such as `updated_at`) are left out.
    public static func between<T: Encodable>(_ old: T, _ new: T, ignoring: Set<String> = ["updated_at"]) -> [FieldChange] {
        let before = CanonicalJSON.object(of: old)
        let after = CanonicalJSON.object(of: new)
        return Set(before.keys).union(after.keys).subtracting(ignoring).sorted().compactMap { field in
            let oldValue = before[field] ?? .null
            let newValue = after[field] ?? .null
            return oldValue == newValue ? nil : FieldChange(field: field, old: oldValue, new: newValue)
        }
    }
}

/// The one JSON encoding the core uses: sorted keys, RFC 3339 timestamps (via ``Timestamp``).
public enum CanonicalJSON {
    /// Encodes `value` with sorted keys.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Decodes `type` from JSON bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// The top-level fields of an encodable value as JSON values (empty when not an object).
    public static func object<T: Encodable>(of value: T) -> [String: JSONValue] {
        guard let bytes = try? encode(value), let json = try? decode(JSONValue.self, from: bytes),
              case .object(let object) = json else { return [:] }
        return object
    }
}
