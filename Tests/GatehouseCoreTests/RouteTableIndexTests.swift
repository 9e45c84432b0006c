import GatehouseCore
import Testing

/// The route table's prefix index changes which routes are tried, never which one wins: every
/// lookup equals trying all routes in the table's order.
@Suite("route table index")
struct RouteTableIndexTests {
    /// The lookup without the index: every entry in order.
    func linearMatch(_ table: RouteTable, method: String, path: String) -> String {
        let segments = PathSegments(path)
        var allowed: [String] = []
        for entry in table.entries {
            guard let parameters = entry.template.match(segments) else { continue }
            let routeMethod = entry.route.routeMethod
            if routeMethod == .any || routeMethod.rawValue == method || (method == "HEAD" && routeMethod == .get) {
                return "found \(entry.route.id) \(parameters.all.sorted { $0.key < $1.key })"
            }
            allowed.append(routeMethod.rawValue)
        }
        return allowed.isEmpty ? "not found" : "405 \(Array(Set(allowed)).sorted())"
    }

    func describe(_ match: RouteTable.Match) -> String {
        switch match {
        case .found(let route, let parameters, _): "found \(route.id) \(parameters.sorted { $0.key < $1.key })"
        case .methodNotAllowed(let allowed): "405 \(allowed)"
        case .notFound: "not found"
        }
    }

    @Test("300 random tables × 200 random paths: the indexed lookup equals the linear one")
    func indexedEqualsLinear() {
        var random = SplitMix64(seed: 5)
        // Enough literals for wide nodes (a dozen children under one segment).
        let words = ["api", "v1", "v2", "weddings", "vendors", "rsvps", "guests", "venues", "photos", "menus", "gifts", "tables"]
        let pathWords = words + ["42", "abc"]
        let methods: [RouteMethod] = [.get, .post, .put, .any]
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        var compared = 0
        for _ in 0 ..< 300 {
            let routes = (0 ..< 1 + Int(random.next() % 30)).map { _ -> Route in
                var segments = (0 ..< Int(random.next() % 5)).map { index -> String in
                    switch random.next() % 4 {
                    case 0: "{p\(index)}"
                    default: pick(words)
                    }
                }
                if random.next() % 5 == 0 { segments.append("*") }
                return Route(
                    gatewayID: GatewayID(), routePath: "/" + segments.joined(separator: "/"), routeMethod: pick(methods),
                    backendServiceID: BackendServiceID(), routePriority: Int(random.next() % 3)
                )
            }
            let table = RouteTable(routes: routes)
            for _ in 0 ..< 200 {
                let path = "/" + (0 ..< Int(random.next() % 6)).map { _ in pick(pathWords) }.joined(separator: "/")
                let method = pick(["GET", "POST", "PUT", "HEAD", "DELETE"])
                #expect(describe(table.match(method: method, path: path)) == linearMatch(table, method: method, path: path), "\(method) \(path)")
                compared += 1
            }
        }
        #expect(compared == 60_000)
    }
}
