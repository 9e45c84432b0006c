import EventLog
import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

@Suite("Event codecs")
struct EventCodecTests {
    /// One event of every kind.
    static func everyKind() -> [ControlEvent] {
        let gateway = Samples.gateway()
        let service = Samples.service(gateway.id)
        let route = Samples.route(gateway.id, service.id)
        let key = Samples.key()
        let policy = Samples.policy()
        let version = Samples.version(gateway.id)
        let document = APIDocumentation(gatewayID: gateway.id, openapiSpec: .object(["openapi": .string("3.1.0"), "paths": .object([:])]))
        let change = [FieldChange(field: "weight", old: .number(100), new: .number(50))]
        let transition = CircuitTransition(backendServiceID: service.id, failureCount: 5, nextAttemptAt: Timestamp(microseconds: 99))
        let alert = AlertNotice(alertID: "a1", rule: "error_rate", severity: "critical", message: "5xx above 5%")
        return [
            .gatewayCreated(gateway), .gatewayUpdated(gateway, changes: change), .gatewayRemoved(gateway),
            .backendServiceRegistered(service), .backendServiceUpdated(service, changes: change), .backendServiceDeregistered(service),
            .routeDefined(route), .routeUpdated(route, changes: change), .routeEnabled(route), .routeDisabled(route), .routeRemoved(route),
            .apiKeyIssued(key), .apiKeyUpdated(key, changes: change), .apiKeyRotated(key), .apiKeyRevoked(key),
            .rateLimitPolicyDefined(policy), .rateLimitPolicyUpdated(policy, changes: change), .rateLimitPolicyRemoved(policy),
            .apiVersionPublished(version), .apiVersionUpdated(version, changes: change), .apiVersionDeprecated(version),
            .apiVersionSunset(version), .apiVersionRemoved(version),
            .apiDocumentationPublished(document), .apiDocumentationRemoved(document),
            .instanceHealthChanged(InstanceHealthChange(backendServiceID: service.id, isHealthy: false, reason: "active_check_failed")),
            .circuitOpened(transition), .circuitHalfOpened(transition), .circuitClosed(transition),
            .cacheInvalidated(CacheInvalidation(selector: "tag:weddings", count: 3, bytes: 4096)),
            .alertRaised(alert), .alertResolved(alert),
            .outcomesDropped(OutcomesDropped(count: 12, from: Timestamp(microseconds: 1), to: Timestamp(microseconds: 2))),
            .outcomesPruned(OutcomesPruned(count: 4_000, throughSequence: 9_120, before: Timestamp(microseconds: 3))),
        ]
    }

    @Test("every control event kind round-trips through its JSON envelope")
    func controlRoundTrip() throws {
        let events = Self.everyKind()
        #expect(Set(events.map(\.kind)) == Set(ControlEventKind.allCases))
        for event in events {
            let envelope = try event.envelope(at: Timestamp(microseconds: 5), correlationID: "cmd-1", actor: "alice")
            #expect(envelope.kind == event.kind.rawValue)
            #expect(try ControlEvent(kind: envelope.kind, schemaVersion: envelope.schemaVersion, payload: envelope.payload) == event)
            #expect(ControlEventKind(name: event.kind.name) == event.kind)
        }
    }

    @Test("config payloads are readable JSON with snake_case fields")
    func readableJSON() throws {
        let route = Samples.route(GatewayID(), BackendServiceID())
        let payload = String(decoding: try ControlEvent.routeDefined(route).encodedPayload(), as: UTF8.self)
        #expect(payload.contains("\"route_path\":\"/api/v1/weddings/{weddingId}\""))
        #expect(payload.contains("\"auth_requirements\""))
    }

    @Test("unknown kinds, newer schema versions and malformed payloads are refused")
    func refusals() throws {
        #expect(throws: ControlEventDecodingError.unknownKind(9999)) { try ControlEvent(kind: 9999, schemaVersion: 1, payload: [UInt8]()) }
        #expect(throws: ControlEventDecodingError.unsupportedSchemaVersion(kind: 1, version: 7)) {
            try ControlEvent(kind: 1, schemaVersion: 7, payload: [UInt8]())
        }
        #expect(throws: ControlEventDecodingError.self) { try ControlEvent(kind: 1, schemaVersion: 1, payload: Array("{}".utf8)) }
    }

    static func fullOutcome(route: RouteID = RouteID(), rules: [RuleEvaluation]? = nil) -> RequestCompleted {
        RequestCompleted(
            requestID: "req-0001", startTime: Timestamp(microseconds: 1_800_000_000_123_456), totalMicros: 1234, backendMicros: 1000,
            gatewayID: GatewayID(), routeID: route, apiVersionID: APIVersionID(), backendServiceID: BackendServiceID(), retries: 2,
            apiKeyID: APIKeyID(), jwtSubject: "user-42", ownerID: "owner-1", ownerType: .vendor,
            clientIP: ClientIP(bytes: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]), country: "GB", city: "Bath",
            method: "POST", path: "/api/v1/weddings/42/rsvps", query: "token=REDACTED&page=2", status: 201, requestBytes: 512,
            responseBytes: 2048, userAgent: "WedSyncApp/5.2", headers: [HeaderField(name: "accept", value: "application/json")],
            cacheStatus: .bypass, decision: .shadowWouldLimit,
            rules: rules ?? Self.ruleOfEveryShape(route: route),
            errorMessage: "would be limited"
        )
    }

    /// The gateway's three shapes of rule id (stored compactly) and ids that only look like them
    /// (stored as text): each must read back exactly.
    static func ruleOfEveryShape(route: RouteID) -> [RuleEvaluation] {
        let policy = RateLimitPolicyID()
        return [
            "route:\(route):second", "route:\(route):minute", "policy:\(policy):hour", "policy:\(policy):day", "quota:day", "quota:month",
            "route:\(RouteID()):second", "policy:\(policy.description.uppercased()):minute", "policy:\(policy):fortnight",
            "policy:\(policy)", "quota:year", "route:", "basic-tier", "",
        ].enumerated().map { index, id in
            RuleEvaluation(ruleID: id, windowSeconds: 60, counter: 101 + index, limit: 100, enforced: index % 2 == 0)
        }
    }

    @Test("rule ids of the gateway's shapes take a few bytes; others are kept as text")
    func compactRuleIDs() {
        let route = RouteID()
        let compact = Self.fullOutcome(route: route, rules: Array(Self.ruleOfEveryShape(route: route).prefix(6))).encodedPayload().count
        let none = Self.fullOutcome(route: route, rules: []).encodedPayload().count
        // As text the six ids alone took 6 × 35–50 bytes; now two route, two policy and two quota
        // rules with their numbers take 2 × (2 + 18 + 2) + 6 × 5.
        #expect(compact - none <= 74, "six rules: \(compact - none) bytes")
        // The form is worked out once, from the id, and travels with the evaluation.
        let policy = RateLimitPolicyID()
        #expect(CompactRuleID("route:\(route):minute") == .route(route.uuid, window: 1))
        #expect(CompactRuleID("policy:\(policy):day") == .policy(policy.uuid, window: 3))
        #expect(CompactRuleID("quota:month") == .quota(period: 1))
        #expect(["policy:\(policy):fortnight", "policy:\(policy.description.uppercased()):minute", "quota:year", "route:", ""].allSatisfy { CompactRuleID($0) == .text })
        #expect(RuleEvaluation(ruleID: "quota:day", windowSeconds: 1, counter: 1, limit: 1, enforced: true).storedForm == .quota(period: 0))
    }

    @Test("a schema-1 outcome (rule ids as text) still reads")
    func schemaOneOutcome() throws {
        let outcome = Self.fullOutcome(rules: [RuleEvaluation(ruleID: "basic-tier", windowSeconds: 60, counter: 101, limit: 100, enforced: false)])
        // Schema 2 marks a text id with a leading 0; schema 1 wrote the text alone.
        var payload = outcome.encodedPayload()
        let marked: [UInt8] = [0, 10] + Array("basic-tier".utf8)
        let start = try #require((0 ... payload.count - marked.count).first { Array(payload[$0 ..< $0 + marked.count]) == marked })
        payload.remove(at: start)
        #expect(try payload.withUnsafeBytes { try RequestCompleted(schemaVersion: 1, payload: $0) } == outcome)
    }

    @Test("request outcomes round-trip through the binary codec, full and minimal")
    func outcomeRoundTrip() throws {
        let minimal = RequestCompleted(
            requestID: "r", startTime: Timestamp(microseconds: 0), totalMicros: 0, method: "GET", path: "/", status: 404, decision: .noRoute
        )
        for outcome in [Self.fullOutcome(), minimal] {
            let append = outcome.trafficAppend()
            let decoded = try append.record.withUnsafeBytes { raw in
                try RequestCompleted(RecordCodec.view(of: raw, sequence: 1, stream: .traffic))
            }
            #expect(decoded == outcome)
            let payload = outcome.encodedPayload()
            #expect(try payload.withUnsafeBytes { try RequestCompleted(schemaVersion: RequestCompleted.currentSchemaVersion, payload: $0) } == outcome)
        }
        #expect(Self.fullOutcome().clientIP?.description == "2001:db8:0:0:0:0:0:1")
        #expect(RequestDecision.shadowWouldLimit.name == "shadow_would_limit")
    }

    @Test("every truncation of an outcome payload is an error, not a crash")
    func truncatedOutcome() {
        let payload = Self.fullOutcome().encodedPayload()
        for length in 0 ..< payload.count {
            let prefix = Array(payload[..<length])
            #expect(throws: RequestCompleted.DecodingError.self) {
                try prefix.withUnsafeBytes { _ = try RequestCompleted(schemaVersion: RequestCompleted.currentSchemaVersion, payload: $0) }
            }
        }
        #expect(throws: RequestCompleted.DecodingError.unsupportedSchemaVersion(3)) {
            try payload.withUnsafeBytes { _ = try RequestCompleted(schemaVersion: 3, payload: $0) }
        }
    }
}
