import EventLog
import EventLogLMDB
import Foundation
import GatehouseCore
import GatehouseTesting

/// A gateway under test with its demo upstreams on loopback, configured by YAML.
struct ProxyFixture {
    let directory: TemporaryDirectory
    let upstreams: [DemoUpstream]
    let gateway: GatewayUnderTest

    var port: Int { gateway.port }

    /// Starts `count` demo upstreams as instances of the service `demo`, and a gateway whose
    /// routes are `routes` (YAML flow mappings; default: ``standardRoutes``). `instanceFields[i]`
    /// adds fields to instance `i`'s mapping; `gatewayFields` are extra `key: value` lines.
    static func start(
        upstreams count: Int = 2, strategy: String = "round_robin", instanceFields: [String] = [], routes: [String] = standardRoutes,
        gatewayFields: [String] = [], serveArguments: (TemporaryDirectory) throws -> [String] = { _ in [] },
        environment: [String: String] = [:], topLevelYAML: String = ""
    ) throws -> ProxyFixture {
        let directory = try TemporaryDirectory(prefix: "gatehouse-proxy")
        let upstreams = try (0 ..< count).map { _ in try DemoUpstream.start() }
        let services = upstreams.enumerated().map { index, upstream in
            let extra = index < instanceFields.count && !instanceFields[index].isEmpty ? ", " + instanceFields[index] : ""
            return "      - { service_name: demo, service_url: \"\(upstream.url)\"\(extra) }"
        }.joined(separator: "\n")
        let yaml = """
        gateways:
          - name: wedsync-api-gateway
            base_url: http://localhost:8080
            is_default: true
            load_balancing_strategy: \(strategy)
        \(gatewayFields.map { "    " + $0 + "\n" }.joined())    services:
        \(services)
            routes:
        \(routes.map { "      - " + $0 }.joined(separator: "\n"))
        \(topLevelYAML)
        """
        let gateway = try GatewayUnderTest.start(configuration: yaml, data: directory.appending("data"), extraArguments: serveArguments(directory), environment: environment)
        return ProxyFixture(directory: directory, upstreams: upstreams, gateway: gateway)
    }

    /// Routes used by most tests.
    static let standardRoutes = [
        "{ route_path: \"/api/echo/*\", route_method: ANY, service: demo, upstream_path: \"/echo/*\" }",
        "{ route_path: \"/api/weddings/{weddingId}\", route_method: GET, service: demo, upstream_path: \"/weddings/{weddingId}\" }",
        "{ route_path: \"/api/weddings/{weddingId}\", route_method: PUT, service: demo, upstream_path: \"/weddings/{weddingId}\" }",
        "{ route_path: \"/api/vendors/{vendorId}\", route_method: GET, service: demo, upstream_path: \"/vendors/{vendorId}\" }",
        "{ route_path: \"/api/vendors/featured\", route_method: GET, service: demo, upstream_path: \"/echo/featured\", route_priority: 10 }",
        "{ route_path: \"/api/live/*\", route_method: GET, service: demo, upstream_path: \"/live/*\" }",
        "{ route_path: \"/api/bytes/{count}\", route_method: GET, service: demo, upstream_path: \"/bytes/{count}\" }",
        "{ route_path: \"/api/hidden\", route_method: GET, service: demo, upstream_path: \"/echo/hidden\", is_enabled: false }",
    ]

    /// Stops the gateway (gracefully) and the upstreams.
    func stop() {
        gateway.stop()
        for upstream in upstreams { upstream.process.terminate() }
    }

    /// Stops everything and removes the data.
    func tearDown() {
        stop()
        directory.remove()
    }

    /// Sets an upstream's failure switches.
    func setBehaviour(of index: Int, _ json: String) async throws {
        let response = try await TestHTTP.request("PUT", "/_demo/behaviour", port: upstreams[index].port, body: Data(json.utf8))
        guard response.status == 200 else { throw TestHTTPError(message: "cannot set behaviour: \(response.text)") }
    }

    /// The outcomes in the log (read after ``stop()``).
    func outcomes() throws -> [RequestCompleted] {
        let log = try LMDBEventLog(directory: gateway.data)
        var outcomes: [RequestCompleted] = []
        try log.scan(.traffic, after: 0) { record in
            outcomes.append(try RequestCompleted(record))
            return true
        }
        return outcomes
    }

    /// The control events in the log (read after ``stop()``).
    func controlEvents() throws -> [ControlEvent] {
        let log = try LMDBEventLog(directory: gateway.data)
        return try log.read(.control, after: 0).map { try ControlEvent($0) }
    }
}
