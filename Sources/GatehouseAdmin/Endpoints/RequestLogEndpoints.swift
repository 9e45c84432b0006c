import EventLog
import GatehouseCore
import Hummingbird

/// `/api/gateway/requests…`: the request log (the spec's `api_request_logs`), read from the
/// outcome events newest first, filtered and paged by log position; and one request with the
/// trace of how it was decided. API consumers see only requests made with their keys or as
/// their subject.
struct RequestLogEndpoints {
    let services: AdminServices
    /// Records examined per page at most; a page that stops here says so (`scan_truncated`)
    /// and its cursor continues where it stopped.
    static let scanBudget = 200_000

    func register(on routes: AdminRoutes) {
        routes.add(
            .get, "/api/gateway/requests",
            "Request log, newest first (filters: gateway_id, route_id, api_key_id, backend_service_id, user_id, method, status, status_class, path_prefix, decision, cache_status, from, to; paging: limit, cursor)",
            tag: "requests", access: .owner
        ) { request, context in try list(request, context) }
        routes.add(.get, "/api/gateway/requests/{request_id}", "One request with the trace of how it was decided", tag: "requests", access: .owner) {
            _, context in try show(context)
        }
    }

    private func list(_ request: Request, _ context: AdminContext) throws -> Response {
        let query = try RequestLogQuery(request.uri.queryParameters)
        let scope = try OwnerScope(context.caller, state: services.state)
        var entries: [JSONValue] = []
        var examined = 0
        var lastExamined: SequenceNumber?
        var exhausted = true
        try services.log.scanBackward(.traffic, before: query.before) { record in
            examined += 1
            lastExamined = record.sequence
            let outcome = try RequestCompletedView(record)
            if let from = query.from, outcome.startTime < from { return false }
            if query.matches(outcome), scope.allows(outcome) {
                entries.append(RequestLogEntry.json(RequestCompleted(outcome), sequence: record.sequence))
                if entries.count == query.limit {
                    exhausted = false
                    return false
                }
            }
            if examined >= Self.scanBudget {
                exhausted = false
                return false
            }
            return true
        }
        let truncated = !exhausted && entries.count < query.limit
        let page: [String: JSONValue] = [
            "requests": .array(entries), "count": .int(entries.count), "limit": .int(query.limit),
            "next_cursor": exhausted ? .null : .optional(lastExamined.map { String($0) }), "scan_truncated": .bool(truncated),
        ]
        return try AdminResponse.json(page)
    }

    private func show(_ context: AdminContext) throws -> Response {
        guard let requestID = context.parameters.get("request_id"), let sequence = try services.log.sequence(forRequestID: requestID) else {
            throw AdminError.notFound("request")
        }
        var found: RequestCompleted?
        try services.log.scan(.traffic, after: sequence - 1) { record in
            if record.sequence == sequence { found = try RequestCompleted(record) }
            return false
        }
        let state = services.state
        let scope = try OwnerScope(context.caller, state: state)
        guard let outcome = found, scope.allows(outcome) else { throw AdminError.notFound("request") }
        let detail = RequestLogEntry.json(outcome, sequence: sequence).adding(["trace": RequestLogEntry.trace(outcome, state: state)])
        return try AdminResponse.json(["request": detail])
    }
}

/// Which requests a caller may read: all for admins; for an API consumer, those made with one
/// of its keys, or carrying its id as JWT subject or key owner.
private struct OwnerScope {
    private let owner: String?
    private let keys: Set<APIKeyID>

    init(_ caller: AdminPrincipal, state: ConfigState) {
        owner = caller.ownerScope
        keys = owner.map { owner in Set(state.apiKeys.values.filter { $0.ownerID == owner }.map(\.id)) } ?? []
    }

    func allows(_ outcome: RequestCompletedView) -> Bool {
        allows(key: outcome.apiKeyID, owner: outcome.ownerID, subject: outcome.jwtSubject)
    }

    func allows(_ outcome: RequestCompleted) -> Bool {
        allows(key: outcome.apiKeyID, owner: outcome.ownerID, subject: outcome.jwtSubject)
    }

    private func allows(key: APIKeyID?, owner recordedOwner: String?, subject: String?) -> Bool {
        guard let owner else { return true }
        return key.map(keys.contains) ?? false || recordedOwner == owner || subject == owner
    }
}
