import EventLog

/// JSON payload of every entity event: the entity's full new state and, for updates, what changed.
struct EntityPayload<Entity: ConfigEntity>: Codable {
    var entity: Entity
    var changes: [FieldChange]?
}

/// Errors decoding a stored control event.
public enum ControlEventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownKind(UInt16)
    case unsupportedSchemaVersion(kind: UInt16, version: UInt8)
    case malformedPayload(kind: UInt16, reason: String)

    public var description: String {
        switch self {
        case .unknownKind(let kind): "unknown control event kind \(kind)"
        case .unsupportedSchemaVersion(let kind, let version): "kind \(kind) has unsupported schema version \(version)"
        case .malformedPayload(let kind, let reason): "kind \(kind) payload is malformed: \(reason)"
        }
    }
}

extension ControlEvent {
    /// The schema version written for every kind today. Older versions are upcast in ``init(kind:schemaVersion:payload:)``.
    public static let currentSchemaVersion: UInt8 = 1

    /// Encodes the event into a log envelope.
    public func envelope(at time: Timestamp, correlationID: String, actor: String) throws -> EventEnvelope {
        EventEnvelope(
            kind: kind.rawValue, schemaVersion: Self.currentSchemaVersion, timestamp: time.microseconds,
            correlationID: correlationID, actor: actor, payload: try encodedPayload()
        )
    }

    /// The payload as canonical JSON.
    public func encodedPayload() throws -> [UInt8] {
        func entity<E: ConfigEntity>(_ value: E, _ changes: [FieldChange]? = nil) throws -> [UInt8] {
            try CanonicalJSON.encode(EntityPayload(entity: value, changes: changes))
        }
        switch self {
        case .gatewayCreated(let value), .gatewayRemoved(let value): return try entity(value)
        case .gatewayUpdated(let value, let changes): return try entity(value, changes)
        case .backendServiceRegistered(let value), .backendServiceDeregistered(let value): return try entity(value)
        case .backendServiceUpdated(let value, let changes): return try entity(value, changes)
        case .routeDefined(let value), .routeEnabled(let value), .routeDisabled(let value), .routeRemoved(let value): return try entity(value)
        case .routeUpdated(let value, let changes): return try entity(value, changes)
        case .apiKeyIssued(let value), .apiKeyRotated(let value), .apiKeyRevoked(let value): return try entity(value)
        case .apiKeyUpdated(let value, let changes): return try entity(value, changes)
        case .rateLimitPolicyDefined(let value), .rateLimitPolicyRemoved(let value): return try entity(value)
        case .rateLimitPolicyUpdated(let value, let changes): return try entity(value, changes)
        case .apiVersionPublished(let value), .apiVersionDeprecated(let value), .apiVersionSunset(let value), .apiVersionRemoved(let value):
            return try entity(value)
        case .apiVersionUpdated(let value, let changes): return try entity(value, changes)
        case .apiDocumentationPublished(let value), .apiDocumentationRemoved(let value): return try entity(value)
        case .instanceHealthChanged(let fact): return try CanonicalJSON.encode(fact)
        case .circuitOpened(let fact), .circuitHalfOpened(let fact), .circuitClosed(let fact): return try CanonicalJSON.encode(fact)
        case .cacheInvalidated(let fact): return try CanonicalJSON.encode(fact)
        case .alertRaised(let fact), .alertResolved(let fact): return try CanonicalJSON.encode(fact)
        case .outcomesDropped(let fact): return try CanonicalJSON.encode(fact)
        case .outcomesPruned(let fact): return try CanonicalJSON.encode(fact)
        }
    }

    /// Decodes a stored event, upcasting older schema versions to today's shape.
    public init(kind rawKind: UInt16, schemaVersion: UInt8, payload: some Collection<UInt8>) throws {
        guard let kind = ControlEventKind(rawValue: rawKind) else { throw ControlEventDecodingError.unknownKind(rawKind) }
        guard schemaVersion == Self.currentSchemaVersion else {
            throw ControlEventDecodingError.unsupportedSchemaVersion(kind: rawKind, version: schemaVersion)
        }
        do {
            self = try Self.decodeCurrent(kind, payload)
        } catch let error as DecodingError {
            throw ControlEventDecodingError.malformedPayload(kind: rawKind, reason: "\(error)")
        }
    }

    /// Decodes a record read from the log.
    public init(_ record: RecordView) throws {
        try self.init(kind: record.kind, schemaVersion: record.schemaVersion, payload: record.payload)
    }

    /// Decodes an owned recorded event.
    public init(_ record: RecordedEvent) throws {
        try self.init(kind: record.envelope.kind, schemaVersion: record.envelope.schemaVersion, payload: record.envelope.payload)
    }

    private static func decodeCurrent(_ kind: ControlEventKind, _ bytes: some Collection<UInt8>) throws -> ControlEvent {
        func entity<E: ConfigEntity>(_ type: E.Type) throws -> (E, [FieldChange]) {
            let payload = try CanonicalJSON.decode(EntityPayload<E>.self, from: bytes)
            return (payload.entity, payload.changes ?? [])
        }
        func fact<F: Decodable>(_ type: F.Type) throws -> F { try CanonicalJSON.decode(type, from: bytes) }
        switch kind {
        case .gatewayCreated: return .gatewayCreated(try entity(Gateway.self).0)
        case .gatewayUpdated: let (value, changes) = try entity(Gateway.self); return .gatewayUpdated(value, changes: changes)
        case .gatewayRemoved: return .gatewayRemoved(try entity(Gateway.self).0)
        case .backendServiceRegistered: return .backendServiceRegistered(try entity(BackendService.self).0)
        case .backendServiceUpdated:
            let (value, changes) = try entity(BackendService.self)
            return .backendServiceUpdated(value, changes: changes)
        case .backendServiceDeregistered: return .backendServiceDeregistered(try entity(BackendService.self).0)
        case .routeDefined: return .routeDefined(try entity(Route.self).0)
        case .routeUpdated: let (value, changes) = try entity(Route.self); return .routeUpdated(value, changes: changes)
        case .routeEnabled: return .routeEnabled(try entity(Route.self).0)
        case .routeDisabled: return .routeDisabled(try entity(Route.self).0)
        case .routeRemoved: return .routeRemoved(try entity(Route.self).0)
        case .apiKeyIssued: return .apiKeyIssued(try entity(APIKey.self).0)
        case .apiKeyUpdated: let (value, changes) = try entity(APIKey.self); return .apiKeyUpdated(value, changes: changes)
        case .apiKeyRotated: return .apiKeyRotated(try entity(APIKey.self).0)
        case .apiKeyRevoked: return .apiKeyRevoked(try entity(APIKey.self).0)
        case .rateLimitPolicyDefined: return .rateLimitPolicyDefined(try entity(RateLimitPolicy.self).0)
        case .rateLimitPolicyUpdated:
            let (value, changes) = try entity(RateLimitPolicy.self)
            return .rateLimitPolicyUpdated(value, changes: changes)
        case .rateLimitPolicyRemoved: return .rateLimitPolicyRemoved(try entity(RateLimitPolicy.self).0)
        case .apiVersionPublished: return .apiVersionPublished(try entity(APIVersion.self).0)
        case .apiVersionUpdated: let (value, changes) = try entity(APIVersion.self); return .apiVersionUpdated(value, changes: changes)
        case .apiVersionDeprecated: return .apiVersionDeprecated(try entity(APIVersion.self).0)
        case .apiVersionSunset: return .apiVersionSunset(try entity(APIVersion.self).0)
        case .apiVersionRemoved: return .apiVersionRemoved(try entity(APIVersion.self).0)
        case .apiDocumentationPublished: return .apiDocumentationPublished(try entity(APIDocumentation.self).0)
        case .apiDocumentationRemoved: return .apiDocumentationRemoved(try entity(APIDocumentation.self).0)
        case .instanceHealthChanged: return .instanceHealthChanged(try fact(InstanceHealthChange.self))
        case .circuitOpened: return .circuitOpened(try fact(CircuitTransition.self))
        case .circuitHalfOpened: return .circuitHalfOpened(try fact(CircuitTransition.self))
        case .circuitClosed: return .circuitClosed(try fact(CircuitTransition.self))
        case .cacheInvalidated: return .cacheInvalidated(try fact(CacheInvalidation.self))
        case .alertRaised: return .alertRaised(try fact(AlertNotice.self))
        case .alertResolved: return .alertResolved(try fact(AlertNotice.self))
        case .outcomesDropped: return .outcomesDropped(try fact(OutcomesDropped.self))
        case .outcomesPruned: return .outcomesPruned(try fact(OutcomesPruned.self))
        }
    }
}
