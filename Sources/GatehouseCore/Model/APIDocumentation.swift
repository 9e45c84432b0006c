/// The OpenAPI document of a gateway version (`api_documentation`).
public struct APIDocumentation: Codable, Sendable, Hashable, Identifiable {
    public var id: APIDocumentationID
    public var gatewayID: GatewayID
    public var versionID: APIVersionID?
    public var openapiSpec: JSONValue
    public var generatedDocs: String?
    public var isPublished: Bool
    public var lastGenerated: Timestamp
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id
        case gatewayID = "gateway_id"
        case versionID = "version_id"
        case openapiSpec = "openapi_spec"
        case generatedDocs = "generated_docs"
        case isPublished = "is_published"
        case lastGenerated = "last_generated"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: APIDocumentationID = APIDocumentationID(), gatewayID: GatewayID, versionID: APIVersionID? = nil, openapiSpec: JSONValue,
        generatedDocs: String? = nil, isPublished: Bool = true, lastGenerated: Timestamp = Timestamp(microseconds: 0),
        createdAt: Timestamp = Timestamp(microseconds: 0), updatedAt: Timestamp = Timestamp(microseconds: 0)
    ) {
        self.id = id
        self.gatewayID = gatewayID
        self.versionID = versionID
        self.openapiSpec = openapiSpec
        self.generatedDocs = generatedDocs
        self.isPublished = isPublished
        self.lastGenerated = lastGenerated
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
