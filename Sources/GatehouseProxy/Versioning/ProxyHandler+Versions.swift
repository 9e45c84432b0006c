import GatehouseCore

/// API version negotiation before routing: a version in the path is used as is; one named by
/// `API-Version`, `Accept-Version` or the `Accept` media type is tried as that version's path
/// first (`/api/weddings/1` → `/api/v2/weddings/1`) and must be the route's version; a request
/// naming none goes to a version being rolled out when its consumer is in the rollout, else to
/// its path as it is, else to the gateway's default version.
extension ProxyHandler {
    func negotiateVersion(_ exchange: Exchange, gateway: ConfigSnapshot.GatewayView, path: String) -> Result<RouteTable.Lookup, GatewayError> {
        let catalog = gateway.versions
        let method = exchange.method
        let direct = gateway.routes.lookup(method: method, path: path)
        guard !catalog.byID.isEmpty, catalog.version(inPath: path) == nil else { return .success(direct) }
        if let token = VersionRequest.token(in: exchange.head.headers) {
            guard let requested = catalog.version(named: token) else {
                return .failure(.unknownVersion(token, known: catalog.byID.values.map(\.versionName).sorted()))
            }
            if let versioned = catalog.path(path, in: requested) {
                let match = gateway.routes.lookup(method: method, path: versioned)
                if match.isFound { return .success(match) }
            }
            if case .found(let entry, _, _) = direct, let version = entry.route.apiVersionID, version != requested.id {
                return .failure(.versionNotAvailable(requested, method: method, path: exchange.pathText))
            }
            return .success(direct)
        }
        if !catalog.rollouts.isEmpty {
            let consumer = RolloutConsumers.consumer(of: exchange.head.headers, clientIP: exchange.clientIP, snapshot: loop.snapshot(), at: exchange.startTime)
            for version in catalog.rollouts where version.rollout?.includes(consumer, versionID: version.id) == true {
                guard let versioned = catalog.path(path, in: version) else { continue }
                let match = gateway.routes.lookup(method: method, path: versioned)
                if match.isFound { return .success(match) }
            }
        }
        if direct.isFound { return .success(direct) }
        if let fallback = catalog.defaultVersion, let versioned = catalog.path(path, in: fallback) {
            let match = gateway.routes.lookup(method: method, path: versioned)
            if match.isFound { return .success(match) }
        }
        return .success(direct)
    }
}
