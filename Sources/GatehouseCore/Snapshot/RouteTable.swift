/// A gateway's routes compiled for matching: templates parsed once, ordered by priority then
/// specificity, disabled routes left out, and indexed by their leading literal segments
/// (``RoutePrefixIndex``) so a lookup only tries the routes a path can reach.
public struct RouteTable: Sendable {
    /// A compiled route (a class: a lookup walks entries without copying their routes).
    public final class Entry: Sendable {
        public let route: Route
        public let template: RouteTemplate
        public let upstream: RouteTemplate?
        private let upstreamPlan: UpstreamPathPlan?
        /// The instances the route sends to (`nil`: its service has none).
        public let pool: ServicePool?

        init(route: Route, template: RouteTemplate, upstream: RouteTemplate?, pool: ServicePool?) {
            self.route = route
            self.template = template
            self.upstream = upstream
            upstreamPlan = upstream.map { UpstreamPathPlan(route: template, upstream: $0) }
            self.pool = pool
        }

        /// The path sent upstream for a request that matched `path` with `parameters` (this
        /// entry's match): the route's `upstream_path` with the parameters substituted, else
        /// `path` itself.
        public func upstreamPath(for path: String, parameters: RouteParameters) -> String {
            upstreamPlan?.render(parameters.path) ?? path
        }
    }

    /// The result of looking a request up, as the proxy uses it: the compiled entry (shared,
    /// not copied) and the path it matched; the upstream path is rendered only when needed
    /// (a cache hit never needs it).
    public enum Lookup: Sendable {
        case found(Entry, parameters: RouteParameters, path: String)
        /// The path matches routes, but none for this method; `allowed` lists theirs.
        case methodNotAllowed(allowed: [String])
        case notFound

        /// Whether a route was found.
        public var isFound: Bool {
            if case .found = self { true } else { false }
        }
    }

    /// The result of looking up a request.
    public enum Match: Sendable {
        /// The route to use, its path parameters, and the upstream path to send.
        case found(Route, parameters: [String: String], upstreamPath: String)
        /// The path matches routes, but none for this method; `allowed` lists theirs.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    public let entries: [Entry]
    private let index: RoutePrefixIndex

    /// Compiles the enabled routes among `routes`, each with the pool of the instance it names
    /// (`pools`, by instance). Routes whose templates do not parse cannot exist (the decider
    /// refuses them) and are skipped.
    public init(routes: [Route], pools: [BackendServiceID: ServicePool] = [:]) {
        entries = routes.filter(\.isEnabled).compactMap { route in
            guard let template = try? RouteTemplate(route.routePath) else { return nil }
            return Entry(
                route: route, template: template, upstream: route.upstreamPath.flatMap { try? RouteTemplate($0) },
                pool: pools[route.backendServiceID]
            )
        }.sorted { lhs, rhs in
            if lhs.route.routePriority != rhs.route.routePriority { return lhs.route.routePriority > rhs.route.routePriority }
            if lhs.template.specificity != rhs.template.specificity {
                return lhs.template.specificity.lexicographicallyPrecedes(rhs.template.specificity, by: >)
            }
            return (lhs.route.routePath, lhs.route.routeMethod) < (rhs.route.routePath, rhs.route.routeMethod)
        }
        index = RoutePrefixIndex(entries.map(\.template))
    }

    /// Finds the route for `method` and `path` (without query): the first entry, in the table's
    /// order, whose template matches.
    public func lookup(method: String, path: String) -> Lookup {
        let segments = PathSegments(path)
        var allowed: [String] = []
        let found = segments.withBytes { bytes -> Entry? in
            // Each entry read in place: bound to a local, it is retained for every candidate
            // (~6 more atomic retains a request, tools/request-costs.sh).
            for position in index.candidates(segments, bytes: bytes) where entries[position].template.matches(segments, bytes: bytes) {
                let routeMethod = entries[position].route.routeMethod
                if routeMethod == .any || routeMethod.rawValue == method || (method == "HEAD" && routeMethod == .get) { return entries[position] }
                allowed.append(routeMethod.rawValue)
            }
            return nil
        }
        if let found { return .found(found, parameters: RouteParameters(template: found.template.segments, path: segments), path: path) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: Array(Set(allowed)).sorted())
    }

    /// ``lookup(method:path:)`` with the route copied out and its upstream path rendered.
    public func match(method: String, path: String) -> Match {
        switch lookup(method: method, path: path) {
        case .found(let entry, let parameters, _):
            .found(entry.route, parameters: parameters.all, upstreamPath: entry.upstreamPath(for: path, parameters: parameters))
        case .methodNotAllowed(let allowed):
            .methodNotAllowed(allowed: allowed)
        case .notFound:
            .notFound
        }
    }
}
