import GatehouseCache
import GatehouseCore

/// The spec's `InvalidateCacheRequest`: entries selected by key, by route (`{path, method}`: a
/// route template, or a request path), by tag or by a key pattern (a regular expression). Without
/// `force` the entries are marked stale (a soft purge: the next request revalidates them with the
/// upstream, cheaply when they carry validators); with `force` they are removed and their bytes freed.
struct CacheInvalidationRequest: Codable {
    var cacheKeys: [String]?
    var routes: [RouteSelector]?
    var tags: [String]?
    var pattern: String?
    var force: Bool?

    struct RouteSelector: Codable {
        var path: String
        var method: String
    }

    enum CodingKeys: String, CodingKey {
        case cacheKeys = "cache_keys"
        case routes, tags, pattern, force
    }

    static let fields: Set<String> = ["cache_keys", "routes", "tags", "pattern", "force"]

    static let schema = BodySchema(
        properties: [
            "cache_keys": ["type": "array", "items": ["type": "string"]],
            "routes": ["type": "array", "items": ["type": "object", "properties": ["path": ["type": "string"], "method": ["type": "string"]], "required": ["path", "method"]]],
            "tags": ["type": "array", "items": ["type": "string"]], "pattern": ["type": "string", "description": "regular expression over cache keys"],
            "force": ["type": "boolean", "description": "remove the entries (default: mark them stale)"],
        ],
        required: []
    )

    /// What the selectors pick, checked up front; a description for the `CacheInvalidated` event.
    func selector(state: ConfigState) throws -> (matches: @Sendable (CachedResponse) -> Bool, description: String) {
        let keys = Set(cacheKeys ?? [])
        let tags = Set(tags ?? [])
        var routeIDs: Set<RouteID> = []
        var paths: Set<String> = []
        for (index, selector) in (routes ?? []).enumerated() {
            let method = selector.method.uppercased()
            guard selector.path.hasPrefix("/") else {
                throw AdminError(.badRequest, "invalid_value", "routes[\(index)].path must start with /", field: "routes[\(index)].path")
            }
            guard RouteMethod(rawValue: method) != nil, method != "ANY" else {
                throw AdminError(.badRequest, "invalid_value", "routes[\(index)].method: not an HTTP method", field: "routes[\(index)].method")
            }
            for route in state.routes.values where route.routePath == selector.path && (route.routeMethod == .any || route.routeMethod.rawValue == method) {
                routeIDs.insert(route.id)
            }
            if method == "GET" || method == "HEAD" { paths.insert(selector.path) }
        }
        var regex: Regex<AnyRegexOutput>?
        if let pattern {
            do { regex = try Regex(pattern) } catch {
                throw AdminError(.badRequest, "invalid_value", "pattern: not a regular expression (\(error))", field: "pattern")
            }
        }
        guard !keys.isEmpty || !tags.isEmpty || !routeIDs.isEmpty || !paths.isEmpty || regex != nil else {
            throw AdminError(.unprocessableContent, "nothing_selected", "name cache_keys, routes, tags or a pattern to invalidate")
        }
        let description = [
            keys.isEmpty ? nil : "keys:\(keys.count)", routes.map { "routes:" + $0.map { "\($0.method.uppercased()) \($0.path)" }.joined(separator: ",") },
            tags.isEmpty ? nil : "tags:" + tags.sorted().joined(separator: ","), pattern.map { "pattern:\($0)" },
        ].compactMap { $0 }.joined(separator: " ")
        let compiled = regex.map(UncheckedRegex.init)
        let (selectedRoutes, selectedPaths) = (routeIDs, paths)
        return ({ entry in
            keys.contains(entry.key) || selectedRoutes.contains(entry.routeID) || selectedPaths.contains(entry.resource.path)
                || entry.tags.contains(where: tags.contains) || (compiled.map { entry.key.contains($0.regex) } ?? false)
        }, description)
    }
}

/// A compiled pattern, used read-only from one invalidation at a time.
private struct UncheckedRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
}
