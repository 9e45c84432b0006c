/// A named step with free-form settings: a `middleware_config` entry (`{name, config}`).
public struct MiddlewareStep: Codable, Sendable, Hashable {
    public var name: String
    public var config: JSONValue

    public init(name: String, config: JSONValue = .emptyObject) {
        self.name = name
        self.config = config
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        config = try container.decode(.config, default: .emptyObject)
    }
}

/// A typed transform step (`{type, config}`) of a `transformation_config`.
public struct TransformStep: Codable, Sendable, Hashable {
    public var type: String
    public var config: JSONValue

    public init(type: String, config: JSONValue = .emptyObject) {
        self.type = type
        self.config = config
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        config = try container.decode(.config, default: .emptyObject)
    }
}

/// Request and response transforms of a route (`transformation_config`).
public struct TransformationConfig: Codable, Sendable, Hashable {
    public var requestTransforms: [TransformStep]
    public var responseTransforms: [TransformStep]

    enum CodingKeys: String, CodingKey {
        case requestTransforms = "request_transforms"
        case responseTransforms = "response_transforms"
    }

    public init(requestTransforms: [TransformStep] = [], responseTransforms: [TransformStep] = []) {
        self.requestTransforms = requestTransforms
        self.responseTransforms = responseTransforms
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestTransforms = try container.decode(.requestTransforms, default: [])
        responseTransforms = try container.decode(.responseTransforms, default: [])
    }
}
