import Foundation
import GatehouseCore
import HTTPTypes

/// The OpenAPI 3.1 description of the admin API, generated from the endpoint catalog the router
/// was built from — so every served endpoint is documented, with its parameters, body fields,
/// success status, error responses and who may call it.
enum OpenAPIDocument {
    static func build(_ endpoints: [AdminEndpoint], version: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for endpoint in endpoints {
            var item: [String: JSONValue] = if case .object(let existing) = paths[endpoint.path] { existing } else { [:] }
            item[endpoint.method.rawValue.lowercased()] = operation(endpoint)
            paths[endpoint.path] = .object(item)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Gatehouse admin API", "version": .string(version),
                "description": "Configuration, API keys, health and traffic of a Gatehouse gateway. Every write is an event in the gateway's log, recorded with its actor.",
            ],
            "paths": .object(paths),
            "components": [
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "description": "The bootstrap admin token, an admin JWT (HS256, `role` claim) or an API key."],
                    "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key"],
                ],
                "schemas": ["Error": errorSchema],
                "responses": Dictionary(uniqueKeysWithValues: errorStatuses.map { status, description in
                    (String(status), ["description": .string(description), "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]])
                }).reduce(into: JSONValue.emptyObject) { $0 = $0.adding([$1.key: $1.value]) },
            ],
        ]
    }

    private static let errorStatuses: [(Int, String)] = [
        (400, "Malformed body: invalid JSON, unknown field, wrong type, missing field"),
        (401, "Missing or invalid credentials"),
        (403, "The caller's role does not allow this"),
        (404, "No such resource (or not the caller's)"),
        (405, "Method not allowed on this path"),
        (409, "Conflicts with existing configuration (duplicate, still in use)"),
        (412, "If-Match names an outdated revision"),
        (422, "A value is out of range or refers to something that does not exist"),
    ]

    private static let errorSchema: JSONValue = [
        "type": "object",
        "required": ["error", "code", "request_id", "timestamp"],
        "properties": [
            "error": ["type": "string", "description": "What went wrong, for people."],
            "code": ["type": "string", "description": "Stable machine-readable code."],
            "field": ["type": "string", "description": "The offending field, when one is at fault."],
            "request_id": ["type": "string"],
            "timestamp": ["type": "string", "format": "date-time"],
        ],
    ]

    private static func operation(_ endpoint: AdminEndpoint) -> JSONValue {
        var responses: [String: JSONValue] = [
            String(endpoint.success.code): endpoint.success == .noContent
                ? ["description": .string(endpoint.success.reasonPhrase)]
                : ["description": .string(endpoint.success.reasonPhrase), "content": ["application/json": ["schema": ["type": "object"]]]],
        ]
        let errors: [Int] = endpoint.access == .open ? [] : [400, 401, 403, 404, 405] + (endpoint.method == .get ? [] : [409, 412, 422])
        for status in errors { responses[String(status)] = ["$ref": .string("#/components/responses/\(status)")] }
        var parameters: [JSONValue] = endpoint.pathParameters.map { name in
            ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]
        }
        if endpoint.method == .put || endpoint.method == .delete {
            parameters.append(["name": "If-Match", "in": "header", "required": false, "description": "The ETag last read; a newer revision answers 412.", "schema": ["type": "string"]])
        }
        var operation: [String: JSONValue] = [
            "summary": .string(endpoint.summary),
            "operationId": .string(operationID(endpoint)),
            "tags": [.string(endpoint.tag)],
            "responses": .object(responses),
            "x-gatehouse-access": .string(endpoint.access.rawValue),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        operation["security"] = endpoint.access == .open ? [] : [["bearer": []], ["apiKey": []]]
        if let body = endpoint.body {
            var schema: [String: JSONValue] = ["type": "object", "additionalProperties": false, "properties": .object(body.properties)]
            if !body.required.isEmpty { schema["required"] = .array(body.required.map(JSONValue.string)) }
            operation["requestBody"] = ["required": .bool(!body.required.isEmpty), "content": ["application/json": ["schema": .object(schema)]]]
        }
        return .object(operation)
    }

    /// `get_api_gateway_routes_route_id`.
    private static func operationID(_ endpoint: AdminEndpoint) -> String {
        let path = endpoint.path.split(separator: "/").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).replacingOccurrences(of: "-", with: "_") }
        return ([endpoint.method.rawValue.lowercased()] + path).joined(separator: "_")
    }
}
