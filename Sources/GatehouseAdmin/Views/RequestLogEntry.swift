import Foundation
import EventLog
import GatehouseCore

/// One request outcome as the spec's `api_request_logs` row, plus how it was decided
/// (`decision`, `retries`) and where it sits in the log (`sequence`).
enum RequestLogEntry {
    static func json(_ outcome: RequestCompleted, sequence: SequenceNumber) -> JSONValue {
        let headers = Dictionary(outcome.headers.map { ($0.name, JSONValue.string($0.value)) }) { first, _ in first }
        var geo: [String: JSONValue] = [:]
        if let country = outcome.country { geo["country"] = .string(country) }
        if let city = outcome.city { geo["city"] = .string(city) }
        let fields: [String: JSONValue] = [
            "sequence": .string(String(sequence)), "request_id": .string(outcome.requestID),
            "gateway_id": .optional(outcome.gatewayID?.description), "route_id": .optional(outcome.routeID?.description),
            "api_key_id": .optional(outcome.apiKeyID?.description), "user_id": .optional(outcome.jwtSubject ?? outcome.ownerID),
            "owner_type": .optional(outcome.ownerType?.rawValue), "method": .string(outcome.method), "path": .string(outcome.path),
            "query_params": queryParameters(outcome.query), "request_headers": .object(headers),
            "request_body_size": .int(outcome.requestBytes), "response_status": .int(outcome.status),
            "response_body_size": .int(outcome.responseBytes), "backend_service_id": .optional(outcome.backendServiceID?.description),
            "backend_response_time_ms": outcome.backendMicros.map { .number(Double($0) / 1000) } ?? .null,
            "total_response_time_ms": .number(Double(outcome.totalMicros) / 1000), "error_message": .optional(outcome.errorMessage),
            "user_agent": .optional(outcome.userAgent), "ip_address": .optional(outcome.clientIP?.description), "geo_location": .object(geo),
            "cache_status": .string(outcome.cacheStatus.name), "decision": .string(outcome.decision.name), "retries": .int(outcome.retries),
            "created_at": .string(outcome.startTime.rfc3339),
        ]
        return .object(fields)
    }

    /// The steps that decided the request, from what its outcome recorded, named against the
    /// current configuration where it still has the route and instance.
    static func trace(_ outcome: RequestCompleted, state: ConfigState) -> JSONValue {
        let route = outcome.routeID.flatMap { state.routes[$0] }
        let routeStep: JSONValue = switch outcome.decision {
        case .noRoute: ["step": "route", "result": "no_route"]
        case .methodNotAllowed: ["step": "route", "result": "method_not_allowed"]
        default: [
                "step": "route", "result": outcome.routeID == nil ? "none" : "matched", "route_id": .optional(outcome.routeID?.description),
                "route_path": .optional(route?.routePath), "route_method": .optional(route?.routeMethod.rawValue),
            ]
        }
        let credential = outcome.apiKeyID != nil ? "api_key" : outcome.jwtSubject != nil ? "jwt" : "anonymous"
        let authResult: String = switch outcome.decision {
        case .unauthenticated: "unauthenticated"
        case .forbidden: "forbidden"
        case .ipDenied: "ip_denied"
        default: "allowed"
        }
        let limitsResult: String = switch outcome.decision {
        case .rateLimited: "rate_limited"
        case .quotaExceeded: "quota_exceeded"
        case .shadowWouldLimit: "would_limit_in_shadow_mode"
        default: "passed"
        }
        let rules = outcome.rules.map { rule -> JSONValue in
            [
                "rule_id": .string(rule.ruleID), "window_seconds": .int(rule.windowSeconds), "counter": .int(rule.counter),
                "limit": .int(rule.limit), "enforced": .bool(rule.enforced),
            ]
        }
        let instance = outcome.backendServiceID.flatMap { state.backendServices[$0] }
        let steps: [JSONValue] = [
            routeStep,
            ["step": "auth", "result": .string(authResult), "credential": .string(credential), "api_key_id": .optional(outcome.apiKeyID?.description),
             "subject": .optional(outcome.jwtSubject)],
            ["step": "limits", "result": .string(limitsResult), "rules": .array(rules)],
            ["step": "cache", "result": .string(outcome.cacheStatus.name)],
            ["step": "backend", "result": .string(outcome.decision.name), "backend_service_id": .optional(outcome.backendServiceID?.description),
             "service_url": .optional(instance?.serviceURL), "retries": .int(outcome.retries),
             "backend_response_time_ms": outcome.backendMicros.map { .number(Double($0) / 1000) } ?? .null],
            ["step": "response", "status": .int(outcome.status), "total_response_time_ms": .number(Double(outcome.totalMicros) / 1000),
             "error_message": .optional(outcome.errorMessage)],
        ]
        return .array(steps)
    }

    /// `a=1&b=x%20y` as `{"a": "1", "b": "x y"}` (the first value of a repeated name).
    private static func queryParameters(_ query: String) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            if result[name] == nil { result[name] = .string(value) }
        }
        return .object(result)
    }
}
