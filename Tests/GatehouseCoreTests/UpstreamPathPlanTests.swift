@testable import GatehouseCore
import Testing

@Suite("Upstream path plans")
struct UpstreamPathPlanTests {
    /// (route path, upstream path, request path)
    static let cases: [(String, String, String)] = [
        ("/api/v1/weddings/{id}", "/weddings/{id}", "/api/v1/weddings/42"),
        ("/w/{weddingId}/r/{rsvpId}", "/rsvps/{rsvpId}/of/{weddingId}", "/w/7/r/9"),
        ("/live/*", "/stream/*", "/live/a/b/c"),
        ("/live/*", "/stream/*", "/live"),
        ("/live/*", "/stream/*", "/live//a///b/"),
        ("/live/*", "/*", "/live"),
        ("/files/{name}/*", "/store/{name}/all/*", "/files/x/deep/er"),
        ("/files/{name}/*", "/store/all/{name}/*", "/files/x"),
        ("/a/{id}", "/b/{other}/c", "/a/1"),
        ("/a/{id}", "/b/{other}", "/a/1"),
        ("/a/{id}", "/b/*", "/a/1"),
        ("/a", "/", "/a"),
        ("/", "/root/path", "/"),
        ("/caf\u{E9}/{item}", "/menu/{item}/caf\u{E9}", "/caf\u{E9}/cr\u{E8}me%20br\u{FB}l\u{E9}e"),
    ]

    @Test("a plan renders what the upstream template renders with the match's parameters")
    func rendersAsTheTemplate() throws {
        for (routePath, upstreamPath, requestPath) in Self.cases {
            let route = try RouteTemplate(routePath), upstream = try RouteTemplate(upstreamPath)
            let parameters = try #require(route.match(PathSegments(requestPath)), "\(routePath) matches \(requestPath)")
            let rendered = UpstreamPathPlan(route: route, upstream: upstream).render(parameters.path)
            #expect(rendered == upstream.render(parameters.all), "\(routePath) → \(upstreamPath) for \(requestPath)")
            #expect(rendered.utf8.count == upstream.render(parameters.all).utf8.count)
        }
    }

    @Test("a route table's match renders the route's upstream path through its plan")
    func throughTheTable() {
        let route = Route(
            gatewayID: GatewayID(), routePath: "/api/v1/weddings/{id}/*", routeMethod: .get, backendServiceID: BackendServiceID(),
            upstreamPath: "/weddings/{id}/guests/*"
        )
        guard case .found(_, let parameters, let upstreamPath) = RouteTable(routes: [route]).match(method: "GET", path: "/api/v1/weddings/42/a/b") else {
            Issue.record("no match")
            return
        }
        #expect(parameters == ["id": "42", "*": "a/b"])
        #expect(upstreamPath == "/weddings/42/guests/a/b")
    }
}
