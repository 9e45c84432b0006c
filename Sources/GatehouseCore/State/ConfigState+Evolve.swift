import EventLog

extension ConfigState {
    /// Folds one event in. Never fails: an event that happened cannot be refused. Events at or
    /// below ``lastSequence`` were already applied and are skipped.
    public mutating func evolve(_ event: ControlEvent, sequence: SequenceNumber, time: Timestamp) {
        guard sequence > lastSequence else { return }
        lastSequence = sequence
        switch event {
        case .gatewayCreated(let gateway), .gatewayUpdated(let gateway, _):
            gateways[gateway.id] = gateway
            touch(gateway.id, sequence)
        case .gatewayRemoved(let gateway):
            gateways[gateway.id] = nil
            forget(gateway.id)
        case .backendServiceRegistered(let service), .backendServiceUpdated(let service, _):
            backendServices[service.id] = service
            touch(service.id, sequence)
        case .backendServiceDeregistered(let service):
            backendServices[service.id] = nil
            circuitBreakers[service.id] = nil
            forget(service.id)
        case .routeDefined(let route), .routeUpdated(let route, _), .routeEnabled(let route), .routeDisabled(let route):
            routes[route.id] = route
            touch(route.id, sequence)
        case .routeRemoved(let route):
            routes[route.id] = nil
            forget(route.id)
        case .apiKeyIssued(let key), .apiKeyUpdated(let key, _), .apiKeyRotated(let key), .apiKeyRevoked(let key):
            apiKeys[key.id] = key
            touch(key.id, sequence)
        case .rateLimitPolicyDefined(let policy), .rateLimitPolicyUpdated(let policy, _):
            rateLimitPolicies[policy.id] = policy
            touch(policy.id, sequence)
        case .rateLimitPolicyRemoved(let policy):
            rateLimitPolicies[policy.id] = nil
            forget(policy.id)
        case .apiVersionPublished(let version), .apiVersionUpdated(let version, _), .apiVersionDeprecated(let version),
             .apiVersionSunset(let version):
            apiVersions[version.id] = version
            touch(version.id, sequence)
        case .apiVersionRemoved(let version):
            apiVersions[version.id] = nil
            forget(version.id)
        case .apiDocumentationPublished(let document):
            apiDocumentation[document.id] = document
            touch(document.id, sequence)
        case .apiDocumentationRemoved(let document):
            apiDocumentation[document.id] = nil
            forget(document.id)
        case .instanceHealthChanged(let change):
            backendServices[change.backendServiceID]?.isHealthy = change.isHealthy
        case .circuitOpened(let transition):
            recordCircuit(transition, state: .open, time: time)
        case .circuitHalfOpened(let transition):
            recordCircuit(transition, state: .halfOpen, time: time)
        case .circuitClosed(let transition):
            recordCircuit(transition, state: .closed, time: time)
        case .cacheInvalidated:
            break
        case .alertRaised(let alert):
            activeAlerts[alert.alertID] = alert
        case .alertResolved(let alert):
            activeAlerts[alert.alertID] = nil
        case .outcomesDropped(let dropped):
            droppedOutcomes += dropped.count
        case .outcomesPruned(let pruned):
            prunedThrough = max(prunedThrough, pruned.throughSequence)
        }
    }

    private mutating func touch<Entity>(_ id: Identifier<Entity>, _ sequence: SequenceNumber) {
        revisions[id.description] = sequence
    }

    private mutating func forget<Entity>(_ id: Identifier<Entity>) {
        revisions[id.description] = nil
    }

    private mutating func recordCircuit(_ transition: CircuitTransition, state: CircuitState, time: Timestamp) {
        guard backendServices[transition.backendServiceID] != nil else { return }
        let previous = circuitBreakers[transition.backendServiceID]
        circuitBreakers[transition.backendServiceID] = CircuitBreakerState(
            backendServiceID: transition.backendServiceID, currentState: state,
            failureCount: transition.failureCount, successCount: transition.successCount,
            lastFailureAt: state == .open ? time : previous?.lastFailureAt,
            nextAttemptAt: transition.nextAttemptAt, stateChangedAt: time
        )
    }
}
