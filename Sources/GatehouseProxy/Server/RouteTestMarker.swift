import GatehouseCore
import NIOHTTP1

/// Marks a request as an admin route test (`POST /api/gateway/routes/{id}/test`): it runs the
/// whole pipeline but is not recorded as traffic and will not count against limits or quotas.
/// Only requests carrying the process's secret token qualify — clients cannot claim it — and the
/// field never reaches the upstream. A test's response names the route and instance that served it.
public struct RouteTestMarker: Sendable {
    /// The request field carrying the token.
    public static let requestField = "X-Gatehouse-Route-Test"
    /// The response field naming the route that served a test.
    public static let routeField = "X-Gatehouse-Route"
    /// The response field naming the instance (its `service_url`) that answered a test.
    public static let instanceField = "X-Gatehouse-Instance"

    /// The per-process secret.
    public let token: String

    public init(token: String) { self.token = token }

    /// Whether `headers` carry this process's token.
    func marks(_ headers: HTTPHeaders) -> Bool {
        guard let value = headers.first(name: Self.requestField) else { return false }
        return ConstantTime.equal(value, token)
    }
}
