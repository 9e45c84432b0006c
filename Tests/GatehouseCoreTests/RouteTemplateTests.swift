import GatehouseCore
import Testing

@Suite("Route templates")
struct RouteTemplateTests {
    @Test("parameters and wildcards match and render")
    func matching() throws {
        let template = try RouteTemplate("/api/v1/weddings/{weddingId}/rsvps/{rsvpId}")
        #expect(template.parameterNames == ["weddingId", "rsvpId"])
        #expect(template.match("/api/v1/weddings/42/rsvps/7".split(separator: "/"))?.all == ["weddingId": "42", "rsvpId": "7"])
        #expect(template.match("/api/v1/weddings/42/rsvps".split(separator: "/")) == nil)
        #expect(template.match("/api/v1/weddings/42/rsvps/7/x".split(separator: "/")) == nil)
        let matched = try #require(template.match("/api/v1/weddings/42/rsvps/7".split(separator: "/")))
        #expect(matched["weddingId"] == "42" && matched["rsvpId"] == "7" && matched["v1"] == nil && matched["*"] == nil)
        #expect(try RouteTemplate("/weddings/{rsvpId}/{weddingId}").render(matched) == "/weddings/7/42")
        #expect(RouteParameters.none.all.isEmpty && RouteParameters.none["weddingId"] == nil)
        let tail = try RouteTemplate("/live/*")
        #expect(tail.match("/live/a/b/c".split(separator: "/"))?.all == ["*": "a/b/c"])
        #expect(tail.match("/live".split(separator: "/"))?.all == ["*": ""])
        #expect(try tail.match("/live/a/b/c".split(separator: "/")).map { try RouteTemplate("/stream/*").render($0) } == "/stream/a/b/c")
        #expect(try RouteTemplate("/weddings/{weddingId}").render(["weddingId": "42"]) == "/weddings/42")
        #expect(try RouteTemplate("/stream/*").render(["*": "a/b"]) == "/stream/a/b")
        #expect(try RouteTemplate("/").match([])?.all == [:])
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
        #expect(template.match(["caf\u{E9}", "menu"])?.all == [:])
        #expect(template.match(["cafe\u{301}", "menu"]) == nil)  // the same text decomposed: other bytes
        #expect(template.match(["CAF\u{C9}", "menu"]) == nil)
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
            #expect(route.routePath.hasSameBytes(as: path))
        }
        #expect("caf\u{E9}"[...].hasSameBytes(as: "caf\u{E9}") && !"caf\u{E9}".hasSameBytes(as: "cafe\u{301}") && "".hasSameBytes(as: ""[...]))
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
