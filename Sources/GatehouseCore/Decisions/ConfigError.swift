/// Why a command was refused. Carries a stable machine-readable ``Code``, a message for humans
/// and, when one field is at fault, its snake_case name.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes, safe for clients and metric labels.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A field has a value outside its type or range.
        case invalidField = "invalid_field"
        /// The entity the command names does not exist.
        case notFound = "not_found"
        /// A unique name or combination is already taken.
        case duplicate
        /// A referenced entity does not exist (or belongs to another gateway).
        case referenceNotFound = "reference_not_found"
        /// The entity is still referenced and cannot be removed.
        case inUse = "in_use"
        /// The caller's `If-Match` revision is stale.
        case revisionMismatch = "revision_mismatch"
    }

    public var code: Code
    public var message: String
    public var field: String?
    /// In a batch, the position of the refused command.
    public var commandIndex: Int?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// A field-level validation failure.
    public static func invalid(_ field: String, _ reason: String) -> ConfigError {
        ConfigError(.invalidField, "\(field): \(reason)", field: field)
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
