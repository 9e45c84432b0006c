import GatehouseCore

/// The spec's `PreloadCacheRequest`: GET requests to send through the live pipeline and store.
/// Each names a concrete request path (and optionally its gateway, query and the API key to
/// fetch as — for routes whose `vary_by` keeps consumers apart).
struct CachePreloadRequest: Codable {
    var routes: [Item]

    struct Item: Codable {
        var path: String
        var method: String
        var requestParams: [String: JSONValue]?
        var authContext: AuthContext?
        var gatewayID: GatewayID?

        enum CodingKeys: String, CodingKey {
            case path, method
            case requestParams = "request_params"
            case authContext = "auth_context"
            case gatewayID = "gateway_id"
        }
    }

    struct AuthContext: Codable {
        var userID: String?
        var apiKey: String?

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case apiKey = "api_key"
        }
    }

    static let fields: Set<String> = ["routes"]

    static let schema = BodySchema(
        properties: [
            "routes": [
                "type": "array",
                "items": [
                    "type": "object", "required": ["path", "method"],
                    "properties": [
                        "path": ["type": "string"], "method": ["type": "string"], "request_params": ["type": "object"],
                        "auth_context": ["type": "object", "properties": ["api_key": ["type": "string"], "user_id": ["type": "string"]]],
                        "gateway_id": ["type": "string", "format": "uuid"],
                    ],
                ],
            ],
        ],
        required: ["routes"]
    )
}
