import EventLog
import Foundation

/// A request outcome decoded in place: the structure is checked and every numeric field read
/// once, while strings and lists stay in the record until asked for. Projections that fold
/// millions of outcomes (metrics, quotas) read what they need without allocating; the view is
/// valid only as long as the buffer it reads (inside one `scan` callback).
public struct RequestCompletedView {
    private let payload: UnsafeRawBufferPointer
    private let schemaVersion: UInt8
    public let startTime: Timestamp
    public let totalMicros: Int64
    public let backendMicros: Int64?
    /// Where its 16 bytes are (-1: absent); read on each access.
    private let gatewayIDOffset: Int32
    public var gatewayID: GatewayID? { gatewayIDOffset < 0 ? nil : GatewayID(uuid(at: Int(gatewayIDOffset))) }
    /// Where its 16 bytes are (-1: absent); read on each access.
    private let routeIDOffset: Int32
    public var routeID: RouteID? { routeIDOffset < 0 ? nil : RouteID(uuid(at: Int(routeIDOffset))) }
    /// Where its 16 bytes are (-1: absent); read on each access.
    private let apiVersionIDOffset: Int32
    public var apiVersionID: APIVersionID? { apiVersionIDOffset < 0 ? nil : APIVersionID(uuid(at: Int(apiVersionIDOffset))) }
    /// Where its 16 bytes are (-1: absent); read on each access.
    private let backendServiceIDOffset: Int32
    public var backendServiceID: BackendServiceID? { backendServiceIDOffset < 0 ? nil : BackendServiceID(uuid(at: Int(backendServiceIDOffset))) }
    public let retries: Int
    /// Where its 16 bytes are (-1: absent); read on each access.
    private let apiKeyIDOffset: Int32
    public var apiKeyID: APIKeyID? { apiKeyIDOffset < 0 ? nil : APIKeyID(uuid(at: Int(apiKeyIDOffset))) }
    public let ownerType: OwnerType?
    public let status: Int
    public let requestBytes: Int64
    public let responseBytes: Int64
    public let cacheStatus: CacheStatus
    public let decision: RequestDecision
    private let clientIPRange: Range<Int>?
    private let requestIDRange: Range<Int>
    private let jwtSubjectRange: Range<Int>?
    private let ownerIDRange: Range<Int>?
    private let countryRange: Range<Int>?
    private let cityRange: Range<Int>?
    private let methodRange: Range<Int>
    private let pathRange: Range<Int>
    private let queryRange: Range<Int>
    private let userAgentRange: Range<Int>?
    /// Where the header list starts (its count first); walked only when asked for.
    private let headersOffset: Int
    /// Where the rule list starts (its count first).
    private let rulesOffset: Int
    private let errorMessageRange: Range<Int>?

    /// Checks and reads a traffic record.
    public init(_ record: RecordView) throws {
        guard record.kind == RequestCompleted.kind else { throw RequestCompleted.DecodingError.unexpectedKind(record.kind) }
        try self.init(schemaVersion: record.schemaVersion, payload: record.payload)
    }

    /// Checks and reads a payload of the given schema version.
    public init(schemaVersion: UInt8, payload: UnsafeRawBufferPointer) throws {
        typealias Presence = RequestCompleted.Presence
        guard schemaVersion == 1 || schemaVersion == 2 else {
            throw RequestCompleted.DecodingError.unsupportedSchemaVersion(schemaVersion)
        }
        self.payload = payload
        self.schemaVersion = schemaVersion
        var reader = BinaryReader(payload)
        do {
            let presence = Presence(rawValue: UInt32(truncatingIfNeeded: try reader.varint()))
            requestIDRange = try reader.stringRange()
            startTime = Timestamp(microseconds: try reader.signed())
            totalMicros = try reader.signed()
            backendMicros = presence.contains(.backendMicros) ? try reader.signed() : nil
            gatewayIDOffset = presence.contains(.gatewayID) ? Int32(try reader.skip(16).lowerBound) : -1
            routeIDOffset = presence.contains(.routeID) ? Int32(try reader.skip(16).lowerBound) : -1
            apiVersionIDOffset = presence.contains(.apiVersionID) ? Int32(try reader.skip(16).lowerBound) : -1
            backendServiceIDOffset = presence.contains(.backendServiceID) ? Int32(try reader.skip(16).lowerBound) : -1
            retries = try reader.int()
            apiKeyIDOffset = presence.contains(.apiKeyID) ? Int32(try reader.skip(16).lowerBound) : -1
            jwtSubjectRange = presence.contains(.jwtSubject) ? try reader.stringRange() : nil
            ownerIDRange = presence.contains(.ownerID) ? try reader.stringRange() : nil
            if presence.contains(.ownerType) {
                guard let type = OwnerType(code: try reader.byte()) else { throw RequestCompleted.DecodingError.malformed("owner type") }
                ownerType = type
            } else {
                ownerType = nil
            }
            if presence.contains(.clientIP) {
                let count = Int(try reader.byte())
                guard count == 4 || count == 16 else { throw RequestCompleted.DecodingError.malformed("client ip") }
                clientIPRange = try reader.skip(count)
            } else {
                clientIPRange = nil
            }
            countryRange = presence.contains(.country) ? try reader.stringRange() : nil
            cityRange = presence.contains(.city) ? try reader.stringRange() : nil
            methodRange = try reader.stringRange()
            pathRange = try reader.stringRange()
            queryRange = try reader.stringRange()
            status = try reader.int()
            requestBytes = Int64(try reader.int())
            responseBytes = Int64(try reader.int())
            userAgentRange = presence.contains(.userAgent) ? try reader.stringRange() : nil
            headersOffset = reader.offset
            let headerCount = try reader.int()
            guard headerCount <= payload.count else { throw RequestCompleted.DecodingError.malformed("header count") }
            for _ in 0 ..< headerCount {
                _ = try reader.stringRange()
                _ = try reader.stringRange()
            }
            guard let cacheStatus = CacheStatus(rawValue: try reader.byte()) else { throw RequestCompleted.DecodingError.malformed("cache status") }
            self.cacheStatus = cacheStatus
            guard let decision = RequestDecision(rawValue: try reader.byte()) else { throw RequestCompleted.DecodingError.malformed("decision") }
            self.decision = decision
            rulesOffset = reader.offset
            let ruleCount = try reader.int()
            guard ruleCount <= payload.count else { throw RequestCompleted.DecodingError.malformed("rule count") }
            for _ in 0 ..< ruleCount {
                if schemaVersion == 1 { _ = try reader.stringRange() } else { try CompactRuleID.skip(in: &reader) }
                for _ in 0 ..< 3 { _ = try reader.int() }
                _ = try reader.byte()
            }
            errorMessageRange = presence.contains(.errorMessage) ? try reader.stringRange() : nil
            guard reader.isAtEnd else { throw RequestCompleted.DecodingError.malformed("trailing bytes") }
        } catch is BinaryReader.Truncated {
            throw RequestCompleted.DecodingError.malformed("truncated payload")
        }
    }

    @inline(__always)
    private func uuid(at offset: Int) -> UUID { UUID(uuid: payload.loadUnaligned(fromByteOffset: offset, as: uuid_t.self)) }

    private func string(_ range: Range<Int>) -> String { String(decoding: payload[range], as: UTF8.self) }

    public var requestID: String { string(requestIDRange) }
    public var jwtSubject: String? { jwtSubjectRange.map(string) }
    public var ownerID: String? { ownerIDRange.map(string) }
    public var clientIP: ClientIP? { clientIPRange.flatMap { ClientIP(bytes: Array(payload[$0])) } }
    public var country: String? { countryRange.map(string) }
    public var city: String? { cityRange.map(string) }
    public var method: String { string(methodRange) }
    public var path: String { string(pathRange) }
    public var query: String { string(queryRange) }
    public var userAgent: String? { userAgentRange.map(string) }
    // The structure was checked in init, so these walks cannot fail.
    public var headers: [HeaderField] {
        var reader = BinaryReader(payload)
        reader.offset = headersOffset
        let count = (try? reader.int()) ?? 0
        return (0 ..< count).compactMap { _ in
            guard let name = try? reader.stringRange(), let value = try? reader.stringRange() else { return nil }
            return HeaderField(name: string(name), value: string(value))
        }
    }

    public var rules: [RuleEvaluation] {
        var reader = BinaryReader(payload)
        reader.offset = rulesOffset
        let count = (try? reader.int()) ?? 0
        return (0 ..< count).compactMap { _ in
            let id = schemaVersion == 1 ? (try? reader.stringRange()).map(string) : try? CompactRuleID.read(from: &reader, routeID: routeID)
            guard let id, let window = try? reader.int(), let counter = try? reader.int(),
                  let limit = try? reader.int(), let enforced = try? reader.byte() else { return nil }
            return RuleEvaluation(ruleID: id, windowSeconds: window, counter: counter, limit: limit, enforced: enforced != 0)
        }
    }
    public var errorMessage: String? { errorMessageRange.map(string) }
}
