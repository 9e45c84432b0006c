import EventLog

/// The compact binary codec of ``RequestCompleted``: a presence bitmap for optional fields, then
/// fields in declaration order as varints, length-prefixed strings and raw 16-byte UUIDs.
/// Schema 2 stores limit rule ids by their shape (see ``CompactRuleID``); schema 1, which stored
/// them as text, is still read.
extension RequestCompleted {
    /// The schema version written today.
    public static let currentSchemaVersion: UInt8 = 2

    struct Presence: OptionSet {
        let rawValue: UInt32
        static let backendMicros = Presence(rawValue: 1 << 0)
        static let gatewayID = Presence(rawValue: 1 << 1)
        static let routeID = Presence(rawValue: 1 << 2)
        static let apiVersionID = Presence(rawValue: 1 << 3)
        static let backendServiceID = Presence(rawValue: 1 << 4)
        static let apiKeyID = Presence(rawValue: 1 << 5)
        static let jwtSubject = Presence(rawValue: 1 << 6)
        static let ownerID = Presence(rawValue: 1 << 7)
        static let ownerType = Presence(rawValue: 1 << 8)
        static let clientIP = Presence(rawValue: 1 << 9)
        static let country = Presence(rawValue: 1 << 10)
        static let city = Presence(rawValue: 1 << 11)
        static let userAgent = Presence(rawValue: 1 << 12)
        static let errorMessage = Presence(rawValue: 1 << 13)
    }

    /// Encodes the event into a traffic envelope (correlation id = request id).
    public func envelope() -> EventEnvelope {
        EventEnvelope(
            kind: Self.kind, schemaVersion: Self.currentSchemaVersion, timestamp: startTime.microseconds,
            correlationID: requestID, payload: encodedPayload()
        )
    }

    /// The traffic record, encoded in one buffer (header, payload and CRC) for the log.
    public func trafficAppend() -> TrafficAppend {
        // Cannot fail: a request id is far below the 64 KiB envelope limit (the gateway caps it).
        let record = (try? RecordCodec.encode(
            kind: Self.kind, schemaVersion: Self.currentSchemaVersion, timestamp: startTime.microseconds,
            correlationID: requestID, actor: "", payloadCapacity: recordPayloadCapacity
        ) { writeRecordPayload(into: $0) }) ?? []
        return TrafficAppend(encodedRecord: record, timestamp: startTime.microseconds)
    }

    /// Encodes the traffic record at the end of `batch` (as ``trafficAppend()`` does into an
    /// array of its own).
    public func append(to batch: TrafficBatch) {
        // Cannot fail, as above.
        try? batch.append(
            kind: Self.kind, schemaVersion: Self.currentSchemaVersion, timestamp: startTime.microseconds,
            correlationID: requestID, actor: "", payloadCapacity: recordPayloadCapacity
        ) { writeRecordPayload(into: $0) }
    }

    /// Room for everything the payload may hold, so that it is written once: a rule evaluation
    /// takes no more than its id's text and four varints.
    private var recordPayloadCapacity: Int {
        requestID.utf8.count + 96 + path.utf8.count + query.utf8.count
            + (userAgent?.utf8.count ?? 0) + (errorMessage?.utf8.count ?? 0) + (jwtSubject?.utf8.count ?? 0) + (ownerID?.utf8.count ?? 0)
            + (country?.utf8.count ?? 0) + (city?.utf8.count ?? 0) + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
            + rules.reduce(0) { $0 + $1.ruleID.utf8.count + 24 }
    }

    private func writeRecordPayload(into room: UnsafeMutableRawBufferPointer) -> Int? {
        var writer = BinaryWriter(room: room)
        writePayload(into: &writer)
        return writer.written
    }

    /// The binary payload.
    public func encodedPayload() -> [UInt8] {
        BinaryWriter.bytes(capacity: 96 + path.utf8.count + query.utf8.count + (userAgent?.utf8.count ?? 0)) { writePayload(into: &$0) }
    }

    private func writePayload(into writer: inout BinaryWriter) {
        var presence: Presence = []
        if backendMicros != nil { presence.insert(.backendMicros) }
        if gatewayID != nil { presence.insert(.gatewayID) }
        if routeID != nil { presence.insert(.routeID) }
        if apiVersionID != nil { presence.insert(.apiVersionID) }
        if backendServiceID != nil { presence.insert(.backendServiceID) }
        if apiKeyID != nil { presence.insert(.apiKeyID) }
        if jwtSubject != nil { presence.insert(.jwtSubject) }
        if ownerID != nil { presence.insert(.ownerID) }
        if ownerType != nil { presence.insert(.ownerType) }
        if clientIP != nil { presence.insert(.clientIP) }
        if country != nil { presence.insert(.country) }
        if city != nil { presence.insert(.city) }
        if userAgent != nil { presence.insert(.userAgent) }
        if errorMessage != nil { presence.insert(.errorMessage) }

        writer.varint(UInt64(presence.rawValue))
        writer.string(requestID)
        writer.signed(startTime.microseconds)
        writer.signed(totalMicros)
        if let backendMicros { writer.signed(backendMicros) }
        if let gatewayID { writer.uuid(gatewayID.uuid) }
        if let routeID { writer.uuid(routeID.uuid) }
        if let apiVersionID { writer.uuid(apiVersionID.uuid) }
        if let backendServiceID { writer.uuid(backendServiceID.uuid) }
        writer.varint(UInt64(max(0, retries)))
        if let apiKeyID { writer.uuid(apiKeyID.uuid) }
        if let jwtSubject { writer.string(jwtSubject) }
        if let ownerID { writer.string(ownerID) }
        if let ownerType { writer.byte(ownerType.code) }
        if let clientIP {
            writer.byte(UInt8(clientIP.bytes.count))
            clientIP.bytes.withUnsafeBytes { writer.raw($0) }
        }
        if let country { writer.string(country) }
        if let city { writer.string(city) }
        writer.string(method)
        writer.string(path)
        writer.string(query)
        writer.varint(UInt64(max(0, status)))
        writer.varint(UInt64(max(0, requestBytes)))
        writer.varint(UInt64(max(0, responseBytes)))
        if let userAgent { writer.string(userAgent) }
        writer.varint(UInt64(headers.count))
        for header in headers {
            writer.string(header.name)
            writer.string(header.value)
        }
        writer.byte(cacheStatus.rawValue)
        writer.byte(decision.rawValue)
        writer.varint(UInt64(rules.count))
        for rule in rules {
            rule.storedForm.write(rule.ruleID, routeID: routeID, into: &writer)
            writer.varint(UInt64(max(0, rule.windowSeconds)))
            writer.varint(UInt64(max(0, rule.counter)))
            writer.varint(UInt64(max(0, rule.limit)))
            writer.byte(rule.enforced ? 1 : 0)
        }
        if let errorMessage { writer.string(errorMessage) }
    }

    /// Why a traffic payload could not be decoded.
    public enum DecodingError: Error, Sendable, Equatable {
        case unexpectedKind(UInt16)
        case unsupportedSchemaVersion(UInt8)
        case malformed(String)
    }

    /// Decodes a traffic record into owned values.
    public init(_ record: RecordView) throws {
        self.init(try RequestCompletedView(record))
    }

    /// Decodes a payload of the given schema version into owned values.
    public init(schemaVersion: UInt8, payload: UnsafeRawBufferPointer) throws {
        self.init(try RequestCompletedView(schemaVersion: schemaVersion, payload: payload))
    }

    /// Copies every field out of a view.
    public init(_ view: RequestCompletedView) {
        self.init(
            requestID: view.requestID, startTime: view.startTime, totalMicros: view.totalMicros, backendMicros: view.backendMicros,
            gatewayID: view.gatewayID, routeID: view.routeID, apiVersionID: view.apiVersionID, backendServiceID: view.backendServiceID,
            retries: view.retries, apiKeyID: view.apiKeyID, jwtSubject: view.jwtSubject, ownerID: view.ownerID, ownerType: view.ownerType,
            clientIP: view.clientIP, country: view.country, city: view.city, method: view.method, path: view.path, query: view.query,
            status: view.status, requestBytes: view.requestBytes, responseBytes: view.responseBytes, userAgent: view.userAgent,
            headers: view.headers, cacheStatus: view.cacheStatus, decision: view.decision, rules: view.rules, errorMessage: view.errorMessage
        )
    }
}

extension OwnerType {
    /// One-byte code in the binary codec.
    var code: UInt8 {
        switch self {
        case .user: 0
        case .service: 1
        case .vendor: 2
        }
    }

    init?(code: UInt8) {
        switch code {
        case 0: self = .user
        case 1: self = .service
        case 2: self = .vendor
        default: return nil
        }
    }
}
