import Foundation
import GatehouseCache
import GatehouseCore
import GatehouseEngine
import Hummingbird
import NIOHTTP1

/// `/api/gateway/cache/…`: statistics of the proxy's response cache, invalidation (each one a
/// `CacheInvalidated` event naming its actor), and preloading through the live pipeline.
struct CacheEndpoints {
    let services: AdminServices
    let target: RouteTestTarget?

    func register(on routes: AdminRoutes) {
        routes.add(.get, "/api/gateway/cache/stats", "What the response cache holds and how it did over the last 24 hours", tag: "cache") { _, _ in
            let cache = try cache()
            let now = Timestamp.now()
            let traffic = try services.metrics.read { buckets in
                buckets.tallies(from: now.adding(seconds: -86_400), to: now) { if case .routeCacheUse = $0 { true } else { false } }
            }
            return try AdminResponse.json(CacheReports.stats(cache: cache, traffic: traffic, state: services.state, now: now))
        }
        routes.add(
            .post, "/api/gateway/cache/invalidate", "Invalidate entries by key, route, tag or key pattern (force: remove instead of marking stale)",
            tag: "cache", body: CacheInvalidationRequest.schema
        ) { request, context in try await invalidate(request, context) }
        routes.add(
            .post, "/api/gateway/cache/preload", "Fetch GET requests through the live pipeline and store their responses",
            tag: "cache", body: CachePreloadRequest.schema
        ) { request, context in try await preload(request, context) }
    }

    private func cache() throws -> ResponseCache {
        guard let cache = services.cache else { throw AdminError(.serviceUnavailable, "cache_unavailable", "this process runs no proxy, so it has no cache") }
        return cache
    }

    private func invalidate(_ request: Request, _ context: AdminContext) async throws -> Response {
        let cache = try cache()
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.allow(body, only: CacheInvalidationRequest.fields)
        let invalidation = try JSONBody.decode(CacheInvalidationRequest.self, base: .emptyObject, patch: body)
        let (matches, description) = try invalidation.selector(state: services.state)
        let hard = invalidation.force ?? false
        let removal = cache.invalidate(hard: hard, now: .now(), where: matches)
        if !removal.keys.isEmpty {
            let fact = ControlEvent.cacheInvalidated(CacheInvalidation(
                selector: "\(hard ? "force " : "")\(description)", count: removal.keys.count, bytes: removal.bytes
            ))
            try await services.commands.record([fact], context: context)
        }
        return try AdminResponse.json([
            "invalidated_count": .int(removal.keys.count), "cache_keys_invalidated": .array(removal.keys.sorted().map(JSONValue.string)),
            "bytes_freed": .int(removal.bytes), "mode": .string(hard ? "removed" : "marked_stale"),
        ] as JSONValue)
    }

    private func preload(_ request: Request, _ context: AdminContext) async throws -> Response {
        let cache = try cache()
        guard let target else { throw AdminError(.serviceUnavailable, "proxy_unavailable", "this process runs no proxy listener to preload through") }
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.allow(body, only: CachePreloadRequest.fields)
        try JSONBody.require(body, ["routes"])
        let preload = try JSONBody.decode(CachePreloadRequest.self, base: .emptyObject, patch: body)
        guard !preload.routes.isEmpty, preload.routes.count <= 100 else {
            throw AdminError(.unprocessableContent, "invalid_value", "routes: between 1 and 100 requests per preload", field: "routes")
        }
        for (index, item) in preload.routes.enumerated() {
            if item.authContext?.userID != nil {
                throw AdminError(
                    .unprocessableContent, "unsupported_field",
                    "routes[\(index)].auth_context.user_id: a user cannot be proven without their credentials; preload with their api_key",
                    field: "routes[\(index)].auth_context.user_id"
                )
            }
        }
        var results: [JSONValue] = []
        for item in preload.routes { results.append(await preloadOne(item, cache: cache, target: target)) }
        return try AdminResponse.json(["preload_results": .array(results)] as JSONValue)
    }

    /// Sends one preload through the proxy and checks that the cache now holds its response.
    private func preloadOne(_ item: CachePreloadRequest.Item, cache: ResponseCache, target: RouteTestTarget) async -> JSONValue {
        let method = item.method.uppercased()
        var result: [String: JSONValue] = ["route_path": .string(item.path), "method": .string(method), "cache_key": "", "response_time_ms": 0]
        func failed(_ message: String) -> JSONValue {
            result["status"] = "error"
            result["error_message"] = .string(message)
            return .object(result)
        }
        guard method == "GET" else { return failed("only GET responses are cached") }
        guard item.path.hasPrefix("/"), !item.path.contains("{"), !item.path.contains("?") else {
            return failed("path must be a concrete request path (no {parameters}; the query goes in request_params)")
        }
        let snapshot = services.engine.snapshot
        let candidates = snapshot.gateways.filter { item.gatewayID == nil || $0.gateway.id == item.gatewayID }
        guard let (gateway, route) = candidates.lazy.compactMap({ view -> (ConfigSnapshot.GatewayView, Route)? in
            var path = item.path
            if !view.pathPrefix.isEmpty, path.hasPrefix(view.pathPrefix) { path = String(path.dropFirst(view.pathPrefix.count)) }
            guard case .found(let route, _, _) = view.routes.match(method: "GET", path: path.isEmpty ? "/" : path) else { return nil }
            return (view, route)
        }).first else { return failed("no enabled route answers GET \(item.path)") }
        guard route.cacheConfig.enabled else { return failed("route \(route.routePath) does not cache responses (cache_config.enabled is false)") }
        var uri = item.path
        if let parameters = item.requestParams, !parameters.isEmpty {
            uri += "?" + parameters.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode(Self.text($0.value)))" }.joined(separator: "&")
        }
        var headers = HTTPHeaders([("Host", gateway.host.isEmpty ? "localhost" : gateway.host), ("User-Agent", "gatehouse-cache-preload")])
        headers.add(name: AdminRequestFields.cachePreload, value: target.token)
        if let key = item.authContext?.apiKey { headers.add(name: "X-API-Key", value: key) }
        let started = ContinuousClock.now
        let answer: LoopbackHTTPClient.Response
        do {
            answer = try await LoopbackHTTPClient.send(host: target.host, port: target.port, head: HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers), body: [])
        } catch {
            return failed("the request did not complete: \(error)")
        }
        let elapsed = ContinuousClock.now - started
        result["response_time_ms"] = .number(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        let field = { (name: String) in answer.headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        guard (200..<300).contains(answer.status) else { return failed("the request answered \(answer.status)") }
        guard let key = field(AdminRequestFields.cacheKey) else {
            return failed("the response was not stored: \(field(AdminRequestFields.cacheRefusal) ?? "not cacheable")")
        }
        result["cache_key"] = .string(key)
        guard cache.entry(key: key, resource: CacheResource(gatewayID: gateway.gateway.id, path: item.path)) != nil else {
            return failed("the response was not stored (larger than the largest entry, \(cache.maxEntryBytes) bytes, or evicted at once)")
        }
        result["status"] = "success"
        return .object(result)
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): String(flag)
        case .null: ""
        default: (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? ""
        }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))) ?? text
    }
}
