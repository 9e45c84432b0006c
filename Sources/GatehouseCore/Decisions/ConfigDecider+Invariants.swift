/// Cross-entity rules: existence, revisions, uniqueness and references.
extension ConfigDecider {
    static func existing<Entity>(
        _ entity: Entity?, _ what: String, _ id: Identifier<Entity>, _ state: ConfigState, _ context: CommandContext
    ) throws(ConfigError) -> Entity {
        guard let entity else { throw ConfigError(.notFound, "\(what) \(id) does not exist") }
        try checkRevision(id, state, context)
        return entity
    }

    static func checkRevision<Entity>(_ id: Identifier<Entity>, _ state: ConfigState, _ context: CommandContext) throws(ConfigError) {
        guard let expected = context.expectedRevision else { return }
        let actual = state.revision(of: id) ?? 0
        guard actual == expected else {
            throw ConfigError(.revisionMismatch, "\(id) is at revision \(actual), not \(expected): reload and retry")
        }
    }

    static func requireAbsent<Entity>(_ entity: Entity?, _ what: String, _ id: Identifier<Entity>) throws(ConfigError) {
        guard entity == nil else { throw ConfigError(.duplicate, "\(what) \(id) already exists", field: "id") }
    }

    static func checkGateway(_ gateway: Gateway, _ state: ConfigState) throws(ConfigError) {
        try EntityValidation.validate(gateway)
        if state.gateways.values.contains(where: { $0.id != gateway.id && $0.name == gateway.name }) {
            throw ConfigError(.duplicate, "a gateway named '\(gateway.name)' already exists", field: "name")
        }
    }

    static func clearOtherDefaultGateways(except gateway: Gateway, _ state: ConfigState, _ now: Timestamp) -> [ControlEvent] {
        guard gateway.isDefault else { return [] }
        return state.gateways.values.filter { $0.id != gateway.id && $0.isDefault }.sorted { $0.id < $1.id }.map { other in
            var updated = other
            updated.isDefault = false
            updated.updatedAt = now
            return .gatewayUpdated(updated, changes: FieldChange.between(other, updated))
        }
    }

    static func checkBackendService(_ service: BackendService, _ state: ConfigState) throws(ConfigError) {
        try EntityValidation.validate(service)
        guard state.gateways[service.gatewayID] != nil else {
            throw ConfigError(.referenceNotFound, "gateway \(service.gatewayID) does not exist", field: "gateway_id")
        }
        let clash = state.backendServices.values.contains {
            $0.id != service.id && $0.gatewayID == service.gatewayID && $0.serviceName == service.serviceName
                && $0.serviceVersion == service.serviceVersion && $0.serviceURL == service.serviceURL
        }
        if clash {
            throw ConfigError(
                .duplicate, "instance \(service.serviceName) \(service.serviceVersion) at \(service.serviceURL) is already registered",
                field: "service_url"
            )
        }
    }

    static func checkRoute(_ route: Route, _ state: ConfigState) throws(ConfigError) {
        try EntityValidation.validate(route)
        guard state.gateways[route.gatewayID] != nil else {
            throw ConfigError(.referenceNotFound, "gateway \(route.gatewayID) does not exist", field: "gateway_id")
        }
        guard state.backendServices[route.backendServiceID]?.gatewayID == route.gatewayID else {
            throw ConfigError(
                .referenceNotFound, "backend service \(route.backendServiceID) does not exist on this gateway", field: "backend_service_id"
            )
        }
        if let versionID = route.apiVersionID, state.apiVersions[versionID]?.gatewayID != route.gatewayID {
            throw ConfigError(.referenceNotFound, "API version \(versionID) does not exist on this gateway", field: "api_version_id")
        }
        let clash = state.routes.values.contains {
            $0.id != route.id && $0.gatewayID == route.gatewayID && $0.routePath == route.routePath && $0.routeMethod == route.routeMethod
        }
        if clash {
            throw ConfigError(.duplicate, "route \(route.routeMethod.rawValue) \(route.routePath) already exists on this gateway", field: "route_path")
        }
    }

    static func checkAPIKey(_ key: APIKey, _ state: ConfigState) throws(ConfigError) {
        try EntityValidation.validate(key)
        for other in state.apiKeys.values where other.id != key.id {
            if other.apiKeyHash == key.apiKeyHash || other.previousKeyHash == key.apiKeyHash {
                throw ConfigError(.duplicate, "another key already has this secret", field: "api_key_hash")
            }
            if other.keyName == key.keyName, other.ownerID == key.ownerID, other.revokedAt == nil, key.revokedAt == nil {
                throw ConfigError(.duplicate, "this owner already has an active key named '\(key.keyName)'", field: "key_name")
            }
        }
    }

    static func checkPolicy(_ policy: RateLimitPolicy, _ state: ConfigState) throws(ConfigError) {
        try EntityValidation.validate(policy)
        for other in state.rateLimitPolicies.values where other.id != policy.id {
            if other.policyName == policy.policyName {
                throw ConfigError(.duplicate, "a policy named '\(policy.policyName)' already exists", field: "policy_name")
            }
            if other.tier == policy.tier, other.isActive, policy.isActive {
                throw ConfigError(
                    .duplicate, "tier \(policy.tier.rawValue) already has an active policy ('\(other.policyName)')", field: "tier"
                )
            }
        }
    }

    static func checkVersion(_ version: APIVersion, _ state: ConfigState) throws(ConfigError) {
        try EntityValidation.validate(version)
        guard state.gateways[version.gatewayID] != nil else {
            throw ConfigError(.referenceNotFound, "gateway \(version.gatewayID) does not exist", field: "gateway_id")
        }
        if state.apiVersions.values.contains(where: {
            $0.id != version.id && $0.gatewayID == version.gatewayID && $0.versionName == version.versionName
        }) {
            throw ConfigError(.duplicate, "version '\(version.versionName)' already exists on this gateway", field: "version_name")
        }
    }

    static func clearOtherDefaultVersions(except version: APIVersion, _ state: ConfigState, _ now: Timestamp) -> [ControlEvent] {
        guard version.isDefault else { return [] }
        return state.apiVersions(in: version.gatewayID).filter { $0.id != version.id && $0.isDefault }.map { other in
            var updated = other
            updated.isDefault = false
            updated.updatedAt = now
            return .apiVersionUpdated(updated, changes: FieldChange.between(other, updated))
        }
    }
}
