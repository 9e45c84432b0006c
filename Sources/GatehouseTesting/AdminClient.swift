import Foundation

/// Calls a gateway's admin API on loopback with one credential.
public struct AdminClient: Sendable {
    public let port: Int
    /// Sent as `Authorization: Bearer`; `nil` sends no credentials.
    public let bearer: String?

    public init(port: Int, bearer: String?) {
        self.port = port
        self.bearer = bearer
    }

    /// The same listener with another credential.
    public func with(bearer: String?) -> AdminClient { AdminClient(port: port, bearer: bearer) }

    /// Sends `method path` with `json` as the body.
    public func call(_ method: String, _ path: String, json: String? = nil, headers: [(String, String)] = []) async throws -> TestResponse {
        var fields = headers
        if let bearer { fields.append(("Authorization", "Bearer \(bearer)")) }
        if json != nil { fields.append(("Content-Type", "application/json")) }
        return try await TestHTTP.request(method, path, port: port, headers: fields, body: json.map { Data($0.utf8) })
    }

    /// Sends the request and returns the JSON object answered, requiring `status`.
    public func object(_ method: String, _ path: String, json: String? = nil, expect status: Int = 200) async throws -> [String: Any] {
        let response = try await call(method, path, json: json)
        guard response.status == status else {
            throw TestHTTPError(message: "\(method) \(path): expected \(status), got \(response.status): \(response.text)")
        }
        return try response.json()
    }
}
