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
    private let clientIPSpan: Span
    private let requestIDSpan: Span
    private let jwtSubjectSpan: Span
    private let ownerIDSpan: Span
    private let countrySpan: Span
    private let citySpan: Span
    private let methodSpan: Span
    private let pathSpan: Span
    private let querySpan: Span
    private let userAgentSpan: Span
    /// Where the header list starts (its count first); walked only when asked for.
    private let headersOffset: Int
    /// Where the rule list starts (its count first).
    private let rulesOffset: Int
    private let errorMessageSpan: Span

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
        guard payload.count < Int(UInt32.max) else { throw RequestCompleted.DecodingError.malformed("payload too large") }
        self.payload = payload
        self.schemaVersion = schemaVersion
        var reader = BinaryReader(payload)
        do {
            let presence = Presence(rawValue: UInt32(truncatingIfNeeded: try reader.varint()))
            requestIDSpan = Span(try reader.stringRange())
            startTime = Timestamp(microseconds: try reader.signed())
            totalMicros = try reader.signed()
            backendMicros = presence.contains(.backendMicros) ? try reader.signed() : nil
            gatewayIDOffset = presence.contains(.gatewayID) ? Int32(try reader.skip(16).lowerBound) : -1
            routeIDOffset = presence.contains(.routeID) ? Int32(try reader.skip(16).lowerBound) : -1
            apiVersionIDOffset = presence.contains(.apiVersionID) ? Int32(try reader.skip(16).lowerBound) : -1
            backendServiceIDOffset = presence.contains(.backendServiceID) ? Int32(try reader.skip(16).lowerBound) : -1
            retries = try reader.int()
            apiKeyIDOffset = presence.contains(.apiKeyID) ? Int32(try reader.skip(16).lowerBound) : -1
            jwtSubjectSpan = presence.contains(.jwtSubject) ? Span(try reader.stringRange()) : .absent
            ownerIDSpan = presence.contains(.ownerID) ? Span(try reader.stringRange()) : .absent
            if presence.contains(.ownerType) {
                guard let type = OwnerType(code: try reader.byte()) else { throw RequestCompleted.DecodingError.malformed("owner type") }
                ownerType = type
            } else {
                ownerType = nil
            }
            if presence.contains(.clientIP) {
                let count = Int(try reader.byte())
                guard count == 4 || count == 16 else { throw RequestCompleted.DecodingError.malformed("client ip") }
                clientIPSpan = Span(try reader.skip(count))
            } else {
                clientIPSpan = .absent
            }
            countrySpan = presence.contains(.country) ? Span(try reader.stringRange()) : .absent
            citySpan = presence.contains(.city) ? Span(try reader.stringRange()) : .absent
            methodSpan = Span(try reader.stringRange())
            pathSpan = Span(try reader.stringRange())
            querySpan = Span(try reader.stringRange())
            status = try reader.int()
            requestBytes = Int64(try reader.int())
            responseBytes = Int64(try reader.int())
            userAgentSpan = presence.contains(.userAgent) ? Span(try reader.stringRange()) : .absent
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
            errorMessageSpan = presence.contains(.errorMessage) ? Span(try reader.stringRange()) : .absent
            guard reader.isAtEnd else { throw RequestCompleted.DecodingError.malformed("trailing bytes") }
        } catch is BinaryReader.Truncated {
            throw RequestCompleted.DecodingError.malformed("truncated payload")
        }
    }

    @inline(__always)
    private func uuid(at offset: Int) -> UUID { UUID(uuid: payload.loadUnaligned(fromByteOffset: offset, as: uuid_t.self)) }

    private func string(_ range: Range<Int>) -> String { String(decoding: payload[range], as: UTF8.self) }

    public var requestID: String { string(requestIDSpan.bounds) }
    public var jwtSubject: String? { jwtSubjectSpan.range.map(string) }
    public var ownerID: String? { ownerIDSpan.range.map(string) }
    public var clientIP: ClientIP? { clientIPSpan.range.flatMap { ClientIP(bytes: Array(payload[$0])) } }
    public var country: String? { countrySpan.range.map(string) }
    public var city: String? { citySpan.range.map(string) }
    public var method: String { string(methodSpan.bounds) }
    public var path: String { string(pathSpan.bounds) }
    public var query: String { string(querySpan.bounds) }
    public var userAgent: String? { userAgentSpan.range.map(string) }
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
            let id = schemaVersion == 1
                ? (try? reader.stringRange()).map { (id: string($0), form: nil) } : (try? CompactRuleID.read(from: &reader, routeID: routeID)).map { ($0.id, $0.form) }
            guard let id, let window = try? reader.int(), let counter = try? reader.int(),
                  let limit = try? reader.int(), let enforced = try? reader.byte() else { return nil }
            return RuleEvaluation(ruleID: id.id, storedForm: id.form, windowSeconds: window, counter: counter, limit: limit, enforced: enforced != 0)
        }
    }
    public var errorMessage: String? { errorMessageSpan.range.map(string) }
}

extension RequestCompletedView {
    /// Where a string or address lies in the payload, as 32-bit offsets — a third of the
    /// room of an optional `Range<Int>`; a view is built for every outcome a projection replays.
    fileprivate struct Span {
        let start: UInt32
        /// `UInt32.max`: absent.
        let end: UInt32

        static let absent = Span(start: 0, end: .max)

        private init(start: UInt32, end: UInt32) { (self.start, self.end) = (start, end) }

        /// A range of a payload shorter than `UInt32.max` (checked when the view is built).
        init(_ range: Range<Int>) { self.init(start: UInt32(range.lowerBound), end: UInt32(range.upperBound)) }

        var range: Range<Int>? { end == .max ? nil : bounds }
        /// The range of a span that is always present.
        var bounds: Range<Int> { Int(start) ..< Int(end) }
    }
}
