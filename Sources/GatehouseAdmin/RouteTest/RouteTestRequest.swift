import GatehouseCore

/// The spec's `TestRouteRequest`, plus `path_params` for the route's `{name}` and `*` segments
/// (a parameter not given is filled with `test`; `*` with nothing).
struct RouteTestRequest: Codable {
    var method: String
    var headers: [String: String]?
    var queryParams: [String: String]?
    var body: JSONValue?
    var pathParams: [String: String]?

    enum CodingKeys: String, CodingKey {
        case method, headers, body
        case queryParams = "query_params"
        case pathParams = "path_params"
    }

    static let fields: Set<String> = ["method", "headers", "query_params", "body", "path_params"]

    static let schema = BodySchema(
        properties: [
            "method": ["type": "string"], "headers": ["type": "object"], "query_params": ["type": "object"], "body": [:],
            "path_params": ["type": "object"],
        ],
        required: ["method"]
    )
}
