import Foundation
import GatehouseCore

/// Turns a desired ``ConfigDocument`` into the commands that make the current state equal it.
///
/// Entities are matched by name: gateways by `name`, instances by (service, version, URL),
/// routes by (path, method), versions by `version_name`, policies by `policy_name`, keys by
/// (owner, `key_name`). Entities the file no longer lists are removed — except API keys, which
/// apply never revokes (keys issued through the admin API are not in the file).
public struct ConfigPlanner {
    /// A command and the place in the file it comes from, so refusals point at a line.
    public struct PlannedCommand: Sendable {
        public var command: ConfigCommand
        public var path: DocumentPath
    }

    private let state: ConfigState
    /// Where new ids come from (random in production, fixed in tests).
    private let makeID: () -> UUID

    public init(state: ConfigState, makeID: @escaping () -> UUID = { UUID() }) {
        self.state = state
        self.makeID = makeID
    }

    /// The commands, in an order the decider accepts: route removals, then gateways, versions,
    /// instances and routes created or updated, then what is gone, then policies and keys.
    public func plan(_ document: ConfigDocument) throws -> [PlannedCommand] {
        var removals: [PlannedCommand] = []
        var upserts: [PlannedCommand] = []
        var routeUpserts: [PlannedCommand] = []
        var laterRemovals: [PlannedCommand] = []
        var working = state
        let root = DocumentPath()

        try rejectDuplicates(document)

        for (gatewayIndex, gatewayDocument) in document.gateways.enumerated() {
            let path = root.key("gateways").index(gatewayIndex)
            let current = state.gateway(named: gatewayDocument.name)
            let gateway = Self.gateway(gatewayDocument, id: current?.id ?? GatewayID(makeID()))
            upserts.append(PlannedCommand(command: current == nil ? .createGateway(gateway) : .updateGateway(gateway), path: path))
            working.gateways[gateway.id] = gateway

            var versionIDs: [String: APIVersionID] = [:]
            for (index, document) in (gatewayDocument.versions ?? []).enumerated() {
                let existing = state.apiVersions(in: gateway.id).first { $0.versionName == document.versionName }
                let version = Self.version(document, id: existing?.id ?? APIVersionID(makeID()), gateway: gateway.id)
                versionIDs[version.versionName] = version.id
                let command: ConfigCommand = existing == nil ? .publishAPIVersion(version) : .updateAPIVersion(version)
                upserts.append(PlannedCommand(command: command, path: path.key("versions").index(index)))
            }

            var pools: [String: [BackendService]] = [:]
            var keptServices: Set<BackendServiceID> = []
            for (index, document) in (gatewayDocument.services ?? []).enumerated() {
                let version = document.serviceVersion ?? "1.0.0"
                let existing = state.backendServices(in: gateway.id).first {
                    $0.serviceName == document.serviceName && $0.serviceVersion == version && $0.serviceURL == document.serviceURL
                }
                let service = Self.service(document, id: existing?.id ?? BackendServiceID(makeID()), gateway: gateway.id, current: existing)
                keptServices.insert(service.id)
                pools[service.serviceName, default: []].append(service)
                let command: ConfigCommand = existing == nil ? .registerBackendService(service) : .updateBackendService(service)
                upserts.append(PlannedCommand(command: command, path: path.key("services").index(index)))
            }

            var keptRoutes: Set<RouteID> = []
            for (index, document) in (gatewayDocument.routes ?? []).enumerated() {
                let routePath = path.key("routes").index(index)
                guard let target = pools[document.service]?.first else {
                    throw PlanningError(path: routePath.key("service"), message: "no service named '\(document.service)' in this gateway")
                }
                var versionID: APIVersionID?
                if let name = document.version {
                    guard let id = versionIDs[name] else {
                        throw PlanningError(path: routePath.key("version"), message: "no version named '\(name)' in this gateway")
                    }
                    versionID = id
                }
                let existing = state.routes(in: gateway.id).first {
                    $0.routePath == document.routePath && $0.routeMethod == document.routeMethod
                }
                let route = Self.route(document, id: existing?.id ?? RouteID(makeID()), gateway: gateway.id, target: target.id, version: versionID)
                keptRoutes.insert(route.id)
                routeUpserts.append(PlannedCommand(command: existing == nil ? .defineRoute(route) : .updateRoute(route), path: routePath))
            }

            if current != nil {
                for route in state.routes(in: gateway.id) where !keptRoutes.contains(route.id) {
                    removals.append(PlannedCommand(command: .removeRoute(route.id), path: path.key("routes")))
                }
                for service in state.backendServices(in: gateway.id) where !keptServices.contains(service.id) {
                    laterRemovals.append(PlannedCommand(command: .deregisterBackendService(service.id), path: path.key("services")))
                }
                for version in state.apiVersions(in: gateway.id) where versionIDs[version.versionName] == nil {
                    laterRemovals.append(PlannedCommand(command: .removeAPIVersion(version.id), path: path.key("versions")))
                }
            }
        }
        let declaredGateways = Set(document.gateways.map(\.name))
        for gateway in state.gateways.values.sorted(by: { $0.name < $1.name }) where !declaredGateways.contains(gateway.name) {
            laterRemovals.append(PlannedCommand(command: .removeGateway(gateway.id), path: root.key("gateways")))
        }

        var policies: [PlannedCommand] = []
        let declaredPolicies = Set(document.rateLimitPolicies.map(\.policyName))
        for policy in state.rateLimitPolicies.values.sorted(by: { $0.policyName < $1.policyName }) where !declaredPolicies.contains(policy.policyName) {
            policies.append(PlannedCommand(command: .removeRateLimitPolicy(policy.id), path: root.key("rate_limit_policies")))
        }
        for (index, document) in document.rateLimitPolicies.enumerated() {
            let existing = state.rateLimitPolicies.values.first { $0.policyName == document.policyName }
            let policy = Self.policy(document, id: existing?.id ?? RateLimitPolicyID(makeID()))
            let command: ConfigCommand = existing == nil ? .defineRateLimitPolicy(policy) : .updateRateLimitPolicy(policy)
            policies.append(PlannedCommand(command: command, path: root.key("rate_limit_policies").index(index)))
        }

        var keys: [PlannedCommand] = []
        for (index, document) in document.apiKeys.enumerated() {
            keys += try planKey(document, path: root.key("api_keys").index(index))
        }
        return removals + upserts + routeUpserts + laterRemovals + policies + keys
    }

    private func planKey(_ document: APIKeyDocument, path: DocumentPath) throws -> [PlannedCommand] {
        let existing = state.apiKeys.values.first { $0.keyName == document.keyName && $0.ownerID == document.ownerID && $0.revokedAt == nil }
        var hash = existing?.apiKeyHash
        var prefix = existing?.apiKeyPrefix
        if let plaintext = document.key {
            guard plaintext.count >= 16 else { throw PlanningError(path: path.key("key"), message: "a key must be at least 16 characters") }
            hash = APIKeyHash.hash(plaintext)
            prefix = APIKeyHash.prefix(of: plaintext)
        } else if let declared = document.apiKeyHash {
            hash = declared
            prefix = document.apiKeyPrefix ?? prefix
        }
        guard let hash, let prefix else {
            throw PlanningError(path: path, message: "a new key needs 'key' (its plaintext) or 'api_key_hash' and 'api_key_prefix'")
        }
        if document.key != nil, document.apiKeyHash != nil {
            throw PlanningError(path: path.key("api_key_hash"), message: "give either 'key' or 'api_key_hash', not both")
        }
        var commands: [PlannedCommand] = []
        let id = existing?.id ?? APIKeyID(makeID())
        if let existing, existing.apiKeyHash != hash {
            commands.append(PlannedCommand(command: .rotateAPIKey(id, newHash: hash, newPrefix: prefix, gracePeriodSeconds: 0), path: path.key("key")))
        }
        let key = APIKey(
            id: id, keyName: document.keyName, apiKeyHash: hash, apiKeyPrefix: prefix, ownerID: document.ownerID,
            ownerType: document.ownerType ?? .user, scopes: document.scopes ?? [], allowedOrigins: document.allowedOrigins ?? [],
            rateLimitTier: document.rateLimitTier ?? .standard, usageQuota: document.usageQuota ?? UsageQuota(),
            isActive: document.isActive ?? true, expiresAt: document.expiresAt, metadata: document.metadata ?? .emptyObject
        )
        commands.append(PlannedCommand(command: existing == nil ? .issueAPIKey(key) : .updateAPIKey(key), path: path))
        return commands
    }

    private func rejectDuplicates(_ document: ConfigDocument) throws {
        func check<T: Hashable>(_ items: [T], _ path: DocumentPath, _ what: (T) -> String) throws {
            var seen: Set<T> = []
            for (index, item) in items.enumerated() where !seen.insert(item).inserted {
                throw PlanningError(path: path.index(index), message: "\(what(item)) is declared twice")
            }
        }
        try check(document.gateways.map(\.name), DocumentPath().key("gateways")) { "gateway '\($0)'" }
        try check(document.rateLimitPolicies.map(\.policyName), DocumentPath().key("rate_limit_policies")) { "policy '\($0)'" }
        try check(document.apiKeys.map { "\($0.ownerID ?? "")/\($0.keyName)" }, DocumentPath().key("api_keys")) { "key '\($0)'" }
        for (index, gateway) in document.gateways.enumerated() {
            let path = DocumentPath().key("gateways").index(index)
            try check((gateway.routes ?? []).map { "\($0.routeMethod.rawValue) \($0.routePath)" }, path.key("routes")) { "route \($0)" }
            try check((gateway.versions ?? []).map(\.versionName), path.key("versions")) { "version '\($0)'" }
            try check((gateway.services ?? []).map { "\($0.serviceName) \($0.serviceVersion ?? "1.0.0") \($0.serviceURL)" }, path.key("services")) {
                "instance \($0)"
            }
        }
    }
}

/// A reference in the file that cannot be resolved.
public struct PlanningError: Error, Sendable {
    public var path: DocumentPath
    public var message: String
}
