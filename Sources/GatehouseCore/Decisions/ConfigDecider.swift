/// The command side of the configuration: `decide(command, state) -> events`. Pure — no I/O, no
/// clock — and the only place the spec's constraints are enforced: unique names, unique
/// `(gateway, path, method)`, references that exist, cascades, valid values.
///
/// ```swift
/// let events = try ConfigDecider.decide(.createGateway(gateway), state: state, context: context)
/// for event in events { state.evolve(event, sequence: next(), time: context.time) }
/// ```
public enum ConfigDecider {
    /// The events that carry out `command` against `state`; empty when the command changes
    /// nothing (applying the same thing twice is not an error and records nothing).
    public static func decide(_ command: ConfigCommand, state: ConfigState, context: CommandContext) throws(ConfigError) -> [ControlEvent] {
        let now = context.time
        switch command {
        case .createGateway(var gateway):
            try requireAbsent(state.gateways[gateway.id], "gateway", gateway.id)
            gateway.stamp(createdAt: now, updatedAt: now)
            try checkGateway(gateway, state)
            return clearOtherDefaultGateways(except: gateway, state, now) + [.gatewayCreated(gateway)]

        case .updateGateway(var gateway):
            let current = try existing(state.gateways[gateway.id], "gateway", gateway.id, state, context)
            gateway.stamp(createdAt: current.createdAt, updatedAt: now)
            try checkGateway(gateway, state)
            let changes = FieldChange.between(current, gateway)
            guard !changes.isEmpty else { return [] }
            return clearOtherDefaultGateways(except: gateway, state, now) + [.gatewayUpdated(gateway, changes: changes)]

        case .removeGateway(let id):
            let gateway = try existing(state.gateways[id], "gateway", id, state, context)
            return state.apiDocumentation(in: id).map(ControlEvent.apiDocumentationRemoved)
                + state.routes(in: id).map(ControlEvent.routeRemoved)
                + state.backendServices(in: id).map(ControlEvent.backendServiceDeregistered)
                + state.apiVersions(in: id).map(ControlEvent.apiVersionRemoved)
                + [.gatewayRemoved(gateway)]

        case .registerBackendService(var service):
            try requireAbsent(state.backendServices[service.id], "backend service", service.id)
            service.stamp(createdAt: now, updatedAt: now)
            try checkBackendService(service, state)
            return [.backendServiceRegistered(service)]

        case .updateBackendService(var service):
            let current = try existing(state.backendServices[service.id], "backend service", service.id, state, context)
            guard service.gatewayID == current.gatewayID else { throw .invalid("gateway_id", "an instance cannot move to another gateway") }
            service.stamp(createdAt: current.createdAt, updatedAt: now)
            try checkBackendService(service, state)
            let changes = FieldChange.between(current, service)
            return changes.isEmpty ? [] : [.backendServiceUpdated(service, changes: changes)]

        case .deregisterBackendService(let id):
            let service = try existing(state.backendServices[id], "backend service", id, state, context)
            if let route = state.routes.values.filter({ $0.backendServiceID == id }).min(by: { $0.id < $1.id }) {
                throw ConfigError(
                    .inUse, "backend service \(id) is the target of route \(route.routeMethod.rawValue) \(route.routePath) (\(route.id))"
                )
            }
            return [.backendServiceDeregistered(service)]

        case .defineRoute(var route):
            try requireAbsent(state.routes[route.id], "route", route.id)
            route.stamp(createdAt: now, updatedAt: now)
            try checkRoute(route, state)
            return [.routeDefined(route)]

        case .updateRoute(var route):
            let current = try existing(state.routes[route.id], "route", route.id, state, context)
            guard route.gatewayID == current.gatewayID else { throw .invalid("gateway_id", "a route cannot move to another gateway") }
            route.stamp(createdAt: current.createdAt, updatedAt: now)
            try checkRoute(route, state)
            let changes = FieldChange.between(current, route)
            return changes.isEmpty ? [] : [.routeUpdated(route, changes: changes)]

        case .enableRoute(let id), .disableRoute(let id):
            var route = try existing(state.routes[id], "route", id, state, context)
            let enable = if case .enableRoute = command { true } else { false }
            guard route.isEnabled != enable else { return [] }
            route.isEnabled = enable
            route.updatedAt = now
            return [enable ? .routeEnabled(route) : .routeDisabled(route)]

        case .removeRoute(let id):
            return [.routeRemoved(try existing(state.routes[id], "route", id, state, context))]

        case .issueAPIKey(var key):
            try requireAbsent(state.apiKeys[key.id], "API key", key.id)
            key.stamp(createdAt: now, updatedAt: now)
            key.previousKeyHash = nil
            key.previousKeyValidUntil = nil
            key.rotatedAt = nil
            key.revokedAt = nil
            try checkAPIKey(key, state)
            return [.apiKeyIssued(key)]

        case .updateAPIKey(var key):
            let current = try existing(state.apiKeys[key.id], "API key", key.id, state, context)
            guard key.apiKeyHash == current.apiKeyHash else { throw .invalid("api_key_hash", "change a key's secret by rotating it") }
            guard current.revokedAt == nil || !key.isActive else { throw .invalid("is_active", "a revoked key cannot be reactivated") }
            key.stamp(createdAt: current.createdAt, updatedAt: now)
            key.apiKeyPrefix = current.apiKeyPrefix
            key.previousKeyHash = current.previousKeyHash
            key.previousKeyValidUntil = current.previousKeyValidUntil
            key.rotatedAt = current.rotatedAt
            key.revokedAt = current.revokedAt
            try checkAPIKey(key, state)
            let changes = FieldChange.between(current, key)
            return changes.isEmpty ? [] : [.apiKeyUpdated(key, changes: changes)]

        case .rotateAPIKey(let id, let newHash, let newPrefix, let grace):
            var key = try existing(state.apiKeys[id], "API key", id, state, context)
            guard key.revokedAt == nil else { throw .invalid("api_key", "a revoked key cannot be rotated") }
            try FieldValidation.range(grace, "grace_period_seconds", 0 ... 30 * 86_400)
            key.previousKeyHash = grace > 0 ? key.apiKeyHash : nil
            key.previousKeyValidUntil = grace > 0 ? now.adding(seconds: Int64(grace)) : nil
            key.apiKeyHash = newHash
            key.apiKeyPrefix = newPrefix
            key.rotatedAt = now
            key.updatedAt = now
            try checkAPIKey(key, state)
            return [.apiKeyRotated(key)]

        case .revokeAPIKey(let id):
            var key = try existing(state.apiKeys[id], "API key", id, state, context)
            guard key.revokedAt == nil else { return [] }
            key.isActive = false
            key.revokedAt = now
            key.previousKeyHash = nil
            key.previousKeyValidUntil = nil
            key.updatedAt = now
            return [.apiKeyRevoked(key)]

        case .defineRateLimitPolicy(var policy):
            try requireAbsent(state.rateLimitPolicies[policy.id], "rate-limit policy", policy.id)
            policy.stamp(createdAt: now, updatedAt: now)
            try checkPolicy(policy, state)
            return [.rateLimitPolicyDefined(policy)]

        case .updateRateLimitPolicy(var policy):
            let current = try existing(state.rateLimitPolicies[policy.id], "rate-limit policy", policy.id, state, context)
            policy.stamp(createdAt: current.createdAt, updatedAt: now)
            try checkPolicy(policy, state)
            let changes = FieldChange.between(current, policy)
            return changes.isEmpty ? [] : [.rateLimitPolicyUpdated(policy, changes: changes)]

        case .removeRateLimitPolicy(let id):
            return [.rateLimitPolicyRemoved(try existing(state.rateLimitPolicies[id], "rate-limit policy", id, state, context))]

        case .publishAPIVersion(var version):
            try requireAbsent(state.apiVersions[version.id], "API version", version.id)
            version.stamp(createdAt: now, updatedAt: now)
            try checkVersion(version, state)
            return clearOtherDefaultVersions(except: version, state, now) + [.apiVersionPublished(version)]

        case .updateAPIVersion(var version):
            let current = try existing(state.apiVersions[version.id], "API version", version.id, state, context)
            guard version.gatewayID == current.gatewayID else { throw .invalid("gateway_id", "a version cannot move to another gateway") }
            version.stamp(createdAt: current.createdAt, updatedAt: now)
            try checkVersion(version, state)
            let changes = FieldChange.between(current, version)
            guard !changes.isEmpty else { return [] }
            return clearOtherDefaultVersions(except: version, state, now) + [.apiVersionUpdated(version, changes: changes)]

        case .deprecateAPIVersion(let id, let sunsetDate):
            var version = try existing(state.apiVersions[id], "API version", id, state, context)
            guard !version.isDeprecated || version.sunsetDate != sunsetDate else { return [] }
            guard !version.isDefault else { throw .invalid("is_default", "make another version the default before deprecating this one") }
            version.isDeprecated = true
            version.deprecationDate = version.deprecationDate ?? now
            version.sunsetDate = sunsetDate
            version.updatedAt = now
            try EntityValidation.validate(version)
            return [.apiVersionDeprecated(version)]

        case .sunsetAPIVersion(let id):
            var version = try existing(state.apiVersions[id], "API version", id, state, context)
            guard !version.isDefault else { throw .invalid("is_default", "the default version cannot be sunset") }
            if let sunset = version.sunsetDate, sunset <= now { return [] }
            version.isDeprecated = true
            version.deprecationDate = version.deprecationDate ?? now
            version.sunsetDate = now
            version.updatedAt = now
            return [.apiVersionSunset(version)]

        case .removeAPIVersion(let id):
            let version = try existing(state.apiVersions[id], "API version", id, state, context)
            if let route = state.routes.values.filter({ $0.apiVersionID == id }).min(by: { $0.id < $1.id }) {
                throw ConfigError(.inUse, "API version \(version.versionName) is used by route \(route.routeMethod.rawValue) \(route.routePath)")
            }
            let documents = state.apiDocumentation.values.filter { $0.versionID == id }.sorted { $0.id < $1.id }
            return documents.map(ControlEvent.apiDocumentationRemoved) + [.apiVersionRemoved(version)]

        case .publishAPIDocumentation(var document):
            guard state.gateways[document.gatewayID] != nil else {
                throw ConfigError(.referenceNotFound, "gateway \(document.gatewayID) does not exist", field: "gateway_id")
            }
            if let versionID = document.versionID, state.apiVersions[versionID]?.gatewayID != document.gatewayID {
                throw ConfigError(.referenceNotFound, "API version \(versionID) does not exist on this gateway", field: "version_id")
            }
            try EntityValidation.validate(document)
            let current = state.apiDocumentation[document.id]
            try checkRevision(document.id, state, context)
            document.createdAt = current?.createdAt ?? now
            document.updatedAt = now
            document.lastGenerated = now
            if let current, FieldChange.between(current, document, ignoring: ["updated_at", "last_generated"]).isEmpty { return [] }
            return [.apiDocumentationPublished(document)]

        case .removeAPIDocumentation(let id):
            return [.apiDocumentationRemoved(try existing(state.apiDocumentation[id], "API documentation", id, state, context))]
        }
    }

    /// Decides a batch atomically: each command sees the state the previous ones produce, and one
    /// refusal refuses them all; its ``ConfigError/commandIndex`` says which command it was.
    /// Returns the events in order.
    public static func decide(_ commands: [ConfigCommand], state: ConfigState, context: CommandContext) throws(ConfigError) -> [ControlEvent] {
        var working = state
        var events: [ControlEvent] = []
        var sequence = state.lastSequence
        for (index, command) in commands.enumerated() {
            let decided: [ControlEvent]
            do {
                decided = try decide(command, state: working, context: context)
            } catch {
                var refusal = error
                refusal.commandIndex = index
                throw refusal
            }
            for event in decided {
                sequence += 1
                working.evolve(event, sequence: sequence, time: context.time)
            }
            events += decided
        }
        return events
    }
}
