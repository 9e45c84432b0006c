import Foundation

/// The frozen, `Sendable` view of the configuration the proxy reads: one per config change,
/// swapped atomically. Everything a request needs is precomputed here; nothing is mutable.
public struct ConfigSnapshot: Sendable {
    /// One gateway, ready to serve.
    /// A class: the proxy keeps the request's gateway for the whole exchange, and a reference
    /// costs one count where this many fields would cost one each.
    public final class GatewayView: Sendable {
        public let gateway: Gateway
        /// Lowercased host of `base_url` (with port when not the scheme's default).
        public let host: String
        /// Path prefix of `base_url`, without a trailing slash (empty for `/`).
        public let pathPrefix: String
        public let routes: RouteTable
        /// Instances by service name, sorted by priority then URL.
        public let pools: [String: [BackendService]]
        public let versions: VersionCatalog
        /// The gateway's `ip_restriction`, compiled (`nil`: none).
        public let ipRestriction: CompiledIPRestriction?
        /// Each route's `ip_restriction` middleware step, compiled.
        private let routeIPRestrictions: [RouteID: CompiledIPRestriction]
        /// Each route's `request_signing` middleware step, decoded.
        private let routeSigning: [RouteID: RequestSigning]
        /// Routes' compiled `transformation_config`, for routes that have one.
        private let routeTransforms: [RouteID: RouteTransforms]

        init(
            gateway: Gateway, host: String, pathPrefix: String, routes: RouteTable, pools: [String: [BackendService]], versions: VersionCatalog,
            ipRestriction: CompiledIPRestriction?, routeIPRestrictions: [RouteID: CompiledIPRestriction],
            routeSigning: [RouteID: RequestSigning], routeTransforms: [RouteID: RouteTransforms]
        ) {
            self.gateway = gateway
            self.host = host
            self.pathPrefix = pathPrefix
            self.routes = routes
            self.pools = pools
            self.versions = versions
            self.ipRestriction = ipRestriction
            self.routeIPRestrictions = routeIPRestrictions
            self.routeSigning = routeSigning
            self.routeTransforms = routeTransforms
        }

        /// `route`'s compiled `ip_restriction` step, if it has one (most gateways have none: no
        /// lookup then).
        public func ipRestriction(of route: RouteID) -> CompiledIPRestriction? {
            routeIPRestrictions.isEmpty ? nil : routeIPRestrictions[route]
        }

        /// `route`'s `request_signing` step, if it has one.
        public func signing(of route: RouteID) -> RequestSigning? {
            routeSigning.isEmpty ? nil : routeSigning[route]
        }

        /// `route`'s compiled transforms, if it has any.
        public func transforms(of route: RouteID) -> RouteTransforms? {
            routeTransforms.isEmpty ? nil : routeTransforms[route]
        }
    }

    /// The log position this snapshot reflects.
    public let sequence: UInt64
    /// Enabled gateways, most specific `base_url` first.
    public let gateways: [GatewayView]
    /// Keys by current hash, and by previous hash while a rotation's grace period lasts.
    public let apiKeysByHash: [String: APIKey]
    /// The active policy of each tier.
    public let policiesByTier: [RateLimitTier: RateLimitPolicy]

    /// Compiles `state`.
    public init(state: ConfigState) {
        sequence = state.lastSequence
        gateways = state.gateways.values.filter(\.isEnabled).map { gateway in
            let url = URL(string: gateway.baseURL)
            let pools = Dictionary(grouping: state.backendServices(in: gateway.id), by: \.serviceName)
                .mapValues { $0.sorted { ($0.priority, $0.serviceURL) < ($1.priority, $1.serviceURL) } }
            var prefix = url?.path ?? ""
            while prefix.hasSuffix("/") { prefix.removeLast() }
            // A route names one instance; it sends to every instance sharing that one's name.
            let poolsByInstance = Dictionary(uniqueKeysWithValues: pools.flatMap { name, instances in
                instances.map { ($0.id, ServicePool(name: name, instances: instances)) }
            })
            return GatewayView(
                gateway: gateway, host: Self.authority(of: url), pathPrefix: prefix,
                routes: RouteTable(routes: state.routes(in: gateway.id), pools: poolsByInstance), pools: pools,
                versions: VersionCatalog(versions: state.apiVersions(in: gateway.id), routes: state.routes(in: gateway.id)),
                ipRestriction: gateway.ipRestriction.flatMap { $0.isEmpty ? nil : try? $0.compiled() },
                routeIPRestrictions: Self.ipRestrictions(of: state.routes(in: gateway.id)),
                routeSigning: Dictionary(uniqueKeysWithValues: state.routes(in: gateway.id).compactMap { route in
                    route.middlewareConfig.first { $0.name == "request_signing" }?.requestSigning.map { (route.id, $0) }
                }),
                routeTransforms: Dictionary(uniqueKeysWithValues: state.routes(in: gateway.id).compactMap { route in
                    (try? RouteTransforms(route.transformationConfig)).flatMap { $0.isEmpty ? nil : (route.id, $0) }
                })
            )
        }.sorted { ($0.pathPrefix.count, $0.gateway.name) > ($1.pathPrefix.count, $1.gateway.name) }
        var keys: [String: APIKey] = [:]
        for key in state.apiKeys.values {
            keys[key.apiKeyHash] = key
            if let previous = key.previousKeyHash { keys[previous] = key }
        }
        apiKeysByHash = keys
        policiesByTier = Dictionary(
            state.rateLimitPolicies.values.filter(\.isActive).map { ($0.tier, $0) }, uniquingKeysWith: { first, _ in first }
        )
    }

    /// The gateway serving `host` and `path`: the longest matching `base_url` on that host,
    /// else the default gateway.
    public func gateway(host: String, path: String) -> GatewayView? {
        let host = host.lowercased()
        let onHost = gateways.first { view in
            view.host == host && (view.pathPrefix.isEmpty || path == view.pathPrefix || path.hasPrefix(view.pathPrefix + "/"))
        }
        return onHost ?? gateways.first { $0.gateway.isDefault }
    }

    /// The key presented as `plaintext`, if it is known and usable at `time`.
    public func apiKey(plaintext: String, at time: Timestamp) -> APIKey? {
        let hash = APIKeyHash.hash(plaintext)
        guard let key = apiKeysByHash[hash], key.accepts(hash: hash, at: time) else { return nil }
        return key
    }

    /// Each route's `ip_restriction` steps (all of them must permit), compiled.
    private static func ipRestrictions(of routes: [Route]) -> [RouteID: CompiledIPRestriction] {
        var compiled: [RouteID: CompiledIPRestriction] = [:]
        for route in routes {
            let rules = route.middlewareConfig.filter { $0.name == "ip_restriction" }.compactMap { try? $0.ipRestriction?.compiled() }
            guard !rules.isEmpty else { continue }
            compiled[route.id] = CompiledIPRestriction(allow: rules.flatMap(\.allow), deny: rules.flatMap(\.deny))
        }
        return compiled
    }

    private static func authority(of url: URL?) -> String {
        guard let url, let host = url.host?.lowercased() else { return "" }
        let defaultPort = url.scheme?.lowercased() == "https" ? 443 : 80
        if let port = url.port, port != defaultPort { return "\(host):\(port)" }
        return host
    }
}
