extension ConfigState {
    /// The gateway called `name`.
    public func gateway(named name: String) -> Gateway? {
        gateways.values.first { $0.name == name }
    }

    /// The instances of a gateway, sorted by service name, version and URL.
    public func backendServices(in gateway: GatewayID) -> [BackendService] {
        backendServices.values.filter { $0.gatewayID == gateway }
            .sorted { ($0.serviceName, $0.serviceVersion, $0.serviceURL) < ($1.serviceName, $1.serviceVersion, $1.serviceURL) }
    }

    /// The routes of a gateway in match order (priority, then path, then method).
    public func routes(in gateway: GatewayID) -> [Route] {
        routes.values.filter { $0.gatewayID == gateway }
            .sorted { ($1.routePriority, $0.routePath, $0.routeMethod) < ($0.routePriority, $1.routePath, $1.routeMethod) }
    }

    /// The versions of a gateway, by name.
    public func apiVersions(in gateway: GatewayID) -> [APIVersion] {
        apiVersions.values.filter { $0.gatewayID == gateway }.sorted { $0.versionName < $1.versionName }
    }

    /// The documents of a gateway.
    public func apiDocumentation(in gateway: GatewayID) -> [APIDocumentation] {
        apiDocumentation.values.filter { $0.gatewayID == gateway }.sorted { $0.id < $1.id }
    }

    /// The key whose current hash is `hash`.
    public func apiKey(withHash hash: String) -> APIKey? {
        apiKeys.values.first { $0.apiKeyHash == hash }
    }
}
