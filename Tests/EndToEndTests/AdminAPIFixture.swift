import Foundation
import GatehouseTesting

/// A running gateway (from ``ProxyFixture``) with an admin client holding its bootstrap token.
struct AdminAPIFixture {
    let proxy: ProxyFixture
    let admin: AdminClient

    static func start(
        environment: [String: String] = [:], routes: [String] = ProxyFixture.standardRoutes, topLevelYAML: String = ""
    ) throws -> AdminAPIFixture {
        let proxy = try ProxyFixture.start(upstreams: 1, routes: routes, environment: environment, topLevelYAML: topLevelYAML)
        guard let port = proxy.gateway.adminPort else { throw TestHTTPError(message: "no admin listener") }
        return AdminAPIFixture(proxy: proxy, admin: AdminClient(port: port, bearer: proxy.gateway.adminToken ?? environment["GATEHOUSE_ADMIN_TOKEN"]))
    }

    /// The id of the fixture's gateway.
    func gatewayID() async throws -> String {
        let config = try await admin.object("GET", "/api/gateway/config")
        guard let gateway = (config["gateways"] as? [[String: Any]])?.first, let id = gateway["id"] as? String else {
            throw TestHTTPError(message: "no gateway in \(config)")
        }
        return id
    }

    func tearDown() { proxy.tearDown() }
}

extension [String: Any] {
    /// The nested object under `key`.
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}
