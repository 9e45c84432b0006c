import EventLog
import GatehouseCore
import Hummingbird

/// The filters and page of `GET /api/gateway/requests`, read strictly from the query string.
struct RequestLogQuery {
    var gatewayID: GatewayID?
    var routeID: RouteID?
    var apiKeyID: APIKeyID?
    var backendServiceID: BackendServiceID?
    /// The JWT subject or key owner.
    var userID: String?
    var method: String?
    var status: Int?
    /// 1…5 for `1xx`…`5xx`.
    var statusClass: Int?
    var pathPrefix: String?
    var decision: RequestDecision?
    var cacheStatus: CacheStatus?
    var from: Timestamp?
    var to: Timestamp?
    var limit = 50
    /// Only records older than this sequence (the previous page's `next_cursor`).
    var before: SequenceNumber = .max

    static let parameters: Set<String> = [
        "gateway_id", "route_id", "api_key_id", "backend_service_id", "user_id", "method", "status", "status_class", "path_prefix",
        "decision", "cache_status", "from", "to", "limit", "cursor",
    ]

    init(_ parameters: Parameters) throws {
        for (name, _) in parameters where !Self.parameters.contains(String(name)) {
            throw Self.invalid(String(name), "unknown filter; known: \(Self.parameters.sorted().joined(separator: ", "))")
        }
        gatewayID = try Self.id(parameters, "gateway_id")
        routeID = try Self.id(parameters, "route_id")
        apiKeyID = try Self.id(parameters, "api_key_id")
        backendServiceID = try Self.id(parameters, "backend_service_id")
        userID = parameters.get("user_id")
        method = parameters.get("method")?.uppercased()
        status = try Self.number(parameters, "status", 100 ... 599)
        if let text = parameters.get("status_class") {
            guard text.count == 3, text.hasSuffix("xx"), let digit = Int(text.prefix(1)), (1 ... 5).contains(digit) else {
                throw Self.invalid("status_class", "must be one of 1xx, 2xx, 3xx, 4xx, 5xx")
            }
            statusClass = digit
        }
        pathPrefix = parameters.get("path_prefix")
        if let text = parameters.get("decision") {
            guard let decision = RequestDecision.allCases.first(where: { $0.name == text }) else {
                throw Self.invalid("decision", "must be one of \(RequestDecision.allCases.map(\.name).joined(separator: ", "))")
            }
            self.decision = decision
        }
        if let text = parameters.get("cache_status") {
            guard let status = CacheStatus.allCases.first(where: { $0.name == text }) else {
                throw Self.invalid("cache_status", "must be one of \(CacheStatus.allCases.map(\.name).joined(separator: ", "))")
            }
            cacheStatus = status
        }
        from = try Self.time(parameters, "from")
        to = try Self.time(parameters, "to")
        limit = try Self.number(parameters, "limit", 1 ... 500) ?? 50
        if let cursor = parameters.get("cursor") {
            guard let sequence = SequenceNumber(cursor), sequence > 0 else { throw Self.invalid("cursor", "must be a next_cursor from an earlier page") }
            before = sequence
        }
    }

    /// Whether `outcome` passes every filter (the caller's ownership is checked separately).
    func matches(_ outcome: RequestCompletedView) -> Bool {
        if let gatewayID, outcome.gatewayID != gatewayID { return false }
        if let routeID, outcome.routeID != routeID { return false }
        if let apiKeyID, outcome.apiKeyID != apiKeyID { return false }
        if let backendServiceID, outcome.backendServiceID != backendServiceID { return false }
        if let status, outcome.status != status { return false }
        if let statusClass, outcome.status / 100 != statusClass { return false }
        if let decision, outcome.decision != decision { return false }
        if let cacheStatus, outcome.cacheStatus != cacheStatus { return false }
        if let to, outcome.startTime >= to { return false }
        if let method, outcome.method != method { return false }
        if let pathPrefix, !outcome.path.hasPrefix(pathPrefix) { return false }
        if let userID, outcome.jwtSubject != userID, outcome.ownerID != userID { return false }
        return true
    }

    private static func invalid(_ field: String, _ message: String) -> AdminError {
        AdminError(.badRequest, "invalid_query", "\(field): \(message)", field: field)
    }

    private static func id<Entity>(_ parameters: Parameters, _ name: String) throws -> Identifier<Entity>? {
        guard let text = parameters.get(name) else { return nil }
        guard let id = Identifier<Entity>(text) else { throw invalid(name, "must be a UUID") }
        return id
    }

    private static func number(_ parameters: Parameters, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else { throw invalid(name, "must be a number from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    private static func time(_ parameters: Parameters, _ name: String) throws -> Timestamp? {
        guard let text = parameters.get(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else { throw invalid(name, "must be an RFC 3339 time like 2026-11-26T12:00:00Z") }
        return time
    }
}
