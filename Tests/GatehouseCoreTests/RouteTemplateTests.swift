import GatehouseCore
import Testing

@Suite("Route templates")
struct RouteTemplateTests {
    @Test("parameters and wildcards match and render")
    func matching() throws {
        let template = try RouteTemplate("/api/v1/weddings/{weddingId}/rsvps/{rsvpId}")
        #expect(template.parameterNames == ["weddingId", "rsvpId"])
        #expect(template.match(PathSegments("/api/v1/weddings/42/rsvps/7"))?.all == ["weddingId": "42", "rsvpId": "7"])
        #expect(template.match(PathSegments("/api/v1/weddings/42/rsvps")) == nil)
        #expect(template.match(PathSegments("/api/v1/weddings/42/rsvps/7/x")) == nil)
        let matched = try #require(template.match(PathSegments("/api/v1/weddings/42/rsvps/7")))
        #expect(matched["weddingId"] == "42" && matched["rsvpId"] == "7" && matched["v1"] == nil && matched["*"] == nil)
        #expect(try RouteTemplate("/weddings/{rsvpId}/{weddingId}").render(matched.all) == "/weddings/7/42")
        #expect(RouteParameters.none.all.isEmpty && RouteParameters.none["weddingId"] == nil)
        let tail = try RouteTemplate("/live/*")
        #expect(tail.match(PathSegments("/live/a/b/c"))?.all == ["*": "a/b/c"])
        #expect(tail.match(PathSegments("/live"))?.all == ["*": ""])
        #expect(try tail.match(PathSegments("/live/a/b/c")).map { try RouteTemplate("/stream/*").render($0.all) } == "/stream/a/b/c")
        #expect(try RouteTemplate("/weddings/{weddingId}").render(["weddingId": "42"]) == "/weddings/42")
        #expect(try RouteTemplate("/stream/*").render(["*": "a/b"]) == "/stream/a/b")
        #expect(try RouteTemplate("/").match(PathSegments("/"))?.all == [:])
        #expect(template.description == "/api/v1/weddings/{weddingId}/rsvps/{rsvpId}")
    }

    @Test("rendering drops one trailing slash an empty last value leaves, never the root")
    func renderingEdges() throws {
        #expect(try RouteTemplate("/stream/*").render(["*": ""]) == "/stream")
        #expect(try RouteTemplate("/a/{id}").render([:]) == "/a")
        #expect(try RouteTemplate("/a/{id}/b").render([:]) == "/a//b")
        #expect(try RouteTemplate("/*").render(["*": ""]) == "/")
        #expect(try RouteTemplate("/").render([:]) == "/")
        #expect(try RouteTemplate("/files/*").render(["*": "a/"]) == "/files/a")
    }

    @Test("literal segments compare byte for byte: no Unicode equivalence, case matters")
    func byteComparison() throws {
        let template = try RouteTemplate("/caf\u{E9}/menu")
        #expect(template.match(PathSegments("/caf\u{E9}/menu"))?.all == [:])
        #expect(template.match(PathSegments("/cafe\u{301}/menu")) == nil)  // the same text decomposed: other bytes
        #expect(template.match(PathSegments("/CAF\u{C9}/menu")) == nil)
        // The table's prefix index compares the same way, with few children and with many.
        for siblings in [0, 20] {
            let routes = (["/caf\u{E9}/menu"] + (0 ..< siblings).map { "/s\($0)/menu" }).map {
                Route(gatewayID: GatewayID(), routePath: $0, routeMethod: .get, backendServiceID: BackendServiceID())
            }
            let table = RouteTable(routes: routes)
            guard case .found = table.match(method: "GET", path: "/caf\u{E9}/menu") else { Issue.record("precomposed, \(siblings) siblings"); continue }
            guard case .notFound = table.match(method: "GET", path: "/cafe\u{301}/menu") else { Issue.record("decomposed, \(siblings) siblings"); continue }
        }
        // Templates whose literals differ only in normalisation are two routes, each found by its own bytes.
        let twins = RouteTable(routes: ["/caf\u{E9}/menu", "/cafe\u{301}/menu"].map {
            Route(gatewayID: GatewayID(), routePath: $0, routeMethod: .get, backendServiceID: BackendServiceID())
        })
        for path in ["/caf\u{E9}/menu", "/cafe\u{301}/menu"] {
            guard case .found(let route, _, _) = twins.match(method: "GET", path: path) else { Issue.record("\(path) not found"); continue }
            #expect(Array(route.routePath.utf8) == Array(path.utf8))
        }
    }

    @Test("a path's segments: split on '/', empty ones left out, values cut from the path as it is")
    func pathSegments() throws {
        let path = PathSegments("/api//v1/caf\u{E9}/")
        #expect(path.count == 3 && (0 ..< path.count).map { path[$0] } == ["api", "v1", "caf\u{E9}"])
        #expect(PathSegments("").count == 0 && PathSegments("/").count == 0 && PathSegments("//").count == 0)
        #expect(PathSegments("a/b")[1] == "b" && PathSegments("a/b").count == 2)
        // A wildcard's tail is its segments joined by single slashes.
        let tail = try #require(try RouteTemplate("/files/*").match(PathSegments("/files/a//b/")))
        #expect(tail["*"] == "a/b")
        // Literals compare byte for byte: a precomposed é is not a decomposed one.
        #expect(try RouteTemplate("/caf\u{E9}").match(PathSegments("/cafe\u{301}")) == nil)
        #expect(try RouteTemplate("/caf\u{E9}/{x}").match(PathSegments("/caf\u{E9}/\u{1F600}"))?["x"] == "\u{1F600}")
    }

    @Test("literals are more specific than parameters, parameters than wildcards")
    func specificity() throws {
        let literal = try RouteTemplate("/a/b").specificity
        let parameter = try RouteTemplate("/a/{x}").specificity
        let wildcard = try RouteTemplate("/a/*").specificity
        #expect(literal.lexicographicallyPrecedes(parameter, by: >))
        #expect(parameter.lexicographicallyPrecedes(wildcard, by: >))
    }

    @Test("invalid templates are refused with a reason", arguments: [
        "api/v1", "/a//b", "/a/*/b", "/a/{}", "/a/{x-y}", "/a/{x}/{x}", "/a/b{x}", "/a?x=1", "/a/{x",
    ])
    func invalid(text: String) {
        #expect(throws: RouteTemplate.ParseError.self) { try RouteTemplate(text) }
    }
}
