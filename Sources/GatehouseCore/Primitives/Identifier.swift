import Foundation

/// A typed identifier: `Identifier<Route>` and `Identifier<Gateway>` cannot be mixed up.
/// Encodes as the UUID's lowercase string, as the spec's JSON does.
public struct Identifier<Entity>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    public init(_ uuid: UUID = UUID()) { self.uuid = uuid }

    /// Parses a UUID string; `nil` when it is not one.
    public init?(_ string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.uuid = uuid
    }

    public var description: String { uuid.uuidString.lowercased() }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
}

extension Identifier: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let uuid = UUID(uuidString: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a UUID")
        }
        self.uuid = uuid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Identifier: CodingKeyRepresentable {
    public var codingKey: any CodingKey { AnyKey(description) }
    public init?<T: CodingKey>(codingKey: T) { self.init(codingKey.stringValue) }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

public typealias GatewayID = Identifier<Gateway>
public typealias BackendServiceID = Identifier<BackendService>
public typealias RouteID = Identifier<Route>
public typealias APIKeyID = Identifier<APIKey>
public typealias RateLimitPolicyID = Identifier<RateLimitPolicy>
public typealias APIVersionID = Identifier<APIVersion>
public typealias APIDocumentationID = Identifier<APIDocumentation>
