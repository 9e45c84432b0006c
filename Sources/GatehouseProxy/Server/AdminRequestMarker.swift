import GatehouseCore
import NIOHTTP1

/// Recognises the requests the admin API sends through this proxy (see ``AdminRequestFields``):
/// route tests and cache preloads run the whole pipeline but are not recorded as traffic and do
/// not count against limits or quotas. Only requests carrying the process's secret token
/// qualify. A test's response names the route and instance that served it.
public struct AdminRequestMarker: Sendable {
    /// The response field naming the route that served a test.
    public static let routeField = "X-Gatehouse-Route"
    /// The response field naming the instance (its `service_url`) that answered a test.
    public static let instanceField = "X-Gatehouse-Instance"

    /// What an admin request asks for.
    enum Kind {
        case routeTest, cachePreload
    }

    /// The per-process secret.
    public let token: String

    public init(token: String) { self.token = token }

    /// The kind of admin request `headers` mark with this process's token, if any.
    func kind(of headers: ReceivedFields) -> Kind? {
        if let value = headers.first(name: AdminRequestFields.routeTest), ConstantTime.equal(value, token) { return .routeTest }
        if let value = headers.first(name: AdminRequestFields.cachePreload), ConstantTime.equal(value, token) { return .cachePreload }
        return nil
    }
}
