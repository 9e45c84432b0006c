/// Cross-origin rules for a gateway (`cors_config`). Empty `allowed_origins` disables CORS.
public struct CORSConfig: Codable, Sendable, Hashable {
    public var allowedOrigins: [String]
    public var allowedMethods: [String]
    public var allowedHeaders: [String]
    public var credentials: Bool

    enum CodingKeys: String, CodingKey {
        case allowedOrigins = "allowed_origins"
        case allowedMethods = "allowed_methods"
        case allowedHeaders = "allowed_headers"
        case credentials
    }

    public init(allowedOrigins: [String] = [], allowedMethods: [String] = [], allowedHeaders: [String] = [], credentials: Bool = false) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.credentials = credentials
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowedOrigins = try container.decode(.allowedOrigins, default: [])
        allowedMethods = try container.decode(.allowedMethods, default: [])
        allowedHeaders = try container.decode(.allowedHeaders, default: [])
        credentials = try container.decode(.credentials, default: false)
    }
}
