import Foundation
import GatehouseCore
import NIOHTTP1

/// An answer the gateway gives itself: the status, a stable code and a message, rendered as
/// the spec's body `{"error", "code", "request_id", "timestamp"}`.
struct GatewayError: Error, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    let decision: RequestDecision
    var headers: [(String, String)] = []
    /// Extra fields of the JSON body (e.g. which limit fired).
    var details: [String: JSONValue] = [:]

    static func badRequest(_ message: String) -> GatewayError {
        GatewayError(status: .badRequest, code: "bad_request", message: message, decision: .badRequest)
    }

    static func bodyTooLarge(limit: Int) -> GatewayError {
        GatewayError(status: .payloadTooLarge, code: "body_too_large", message: "request body exceeds \(limit) bytes", decision: .bodyTooLarge)
    }

    static func headersTooLarge(limit: Int) -> GatewayError {
        GatewayError(
            status: .requestHeaderFieldsTooLarge, code: "headers_too_large", message: "request header fields exceed \(limit) bytes",
            decision: .badRequest
        )
    }

    static func noGateway(host: String) -> GatewayError {
        GatewayError(status: .notFound, code: "gateway_not_found", message: "no gateway serves host '\(host)'", decision: .noRoute)
    }

    /// 410 for a route of a version past its sunset date, pointing to the migration guide.
    static func versionSunset(_ version: APIVersion) -> GatewayError {
        let guide = version.migrationGuide.map { " Migration guide: \($0)" } ?? ""
        var details: [String: JSONValue] = ["version": .string(version.versionName)]
        if let sunset = version.sunsetDate { details["sunset_date"] = .string(sunset.rfc3339) }
        if let guide = version.migrationGuide { details["migration_guide"] = .string(guide) }
        return GatewayError(
            status: .gone, code: "version_sunset",
            message: "API version \(version.versionName) was retired on \(version.sunsetDate?.dateString ?? "an earlier date").\(guide)",
            decision: .gone, details: details
        )
    }

    /// 400 for a requested version the gateway does not have.
    static func unknownVersion(_ token: String, known: [String]) -> GatewayError {
        GatewayError(
            status: .badRequest, code: "unknown_api_version",
            message: "API version '\(token)' does not exist; available: \(known.joined(separator: ", "))", decision: .badRequest,
            details: ["available_versions": .array(known.map(JSONValue.string))]
        )
    }

    /// 404 for a path that exists, but not in the version asked for.
    static func versionNotAvailable(_ version: APIVersion, method: String, path: String) -> GatewayError {
        GatewayError(
            status: .notFound, code: "version_not_available", message: "\(method) \(path) is not available in API version \(version.versionName)",
            decision: .noRoute
        )
    }

    static func noRoute(method: String, path: String) -> GatewayError {
        GatewayError(status: .notFound, code: "route_not_found", message: "Route not found: \(method) \(path)", decision: .noRoute)
    }

    static func methodNotAllowed(_ method: String, allowed: [String]) -> GatewayError {
        GatewayError(
            status: .methodNotAllowed, code: "method_not_allowed",
            message: "\(method) is not allowed here; allowed: \(allowed.joined(separator: ", "))", decision: .methodNotAllowed,
            headers: [("Allow", allowed.joined(separator: ", "))]
        )
    }

    /// 401 (missing or bad credentials) or 403 (not allowed), with the RFC 6750 challenge.
    static func accessDenied(_ denial: AccessDenial, realm: String) -> GatewayError {
        var challenge = "Bearer realm=\"\(realm)\""
        switch denial.reason {
        case .authenticationRequired: break
        case .insufficientScope: challenge += ", error=\"insufficient_scope\", scope=\"\(denial.requiredScopes.joined(separator: " "))\""
        default: if denial.isAuthenticationFailure { challenge += ", error=\"invalid_token\"" }
        }
        return GatewayError(
            status: denial.isAuthenticationFailure ? .unauthorized : .forbidden, code: denial.reason.rawValue, message: denial.message,
            decision: denial.isAuthenticationFailure ? .unauthenticated : .forbidden,
            headers: denial.isAuthenticationFailure || denial.reason == .insufficientScope ? [("WWW-Authenticate", challenge)] : []
        )
    }

    /// 503: the authorization server could not say whether a token is valid (fail closed).
    static func introspectionUnavailable(_ message: String) -> GatewayError {
        GatewayError(
            status: .serviceUnavailable, code: "introspection_unavailable", message: "cannot check the token: \(message)", decision: .unauthenticated,
            headers: [("Retry-After", "5")]
        )
    }

    /// 401: a signed route's signature or body digest did not check out.
    static func signatureRejected(_ message: String) -> GatewayError {
        GatewayError(
            status: .unauthorized, code: "signature_rejected", message: message, decision: .unauthenticated,
            headers: [("WWW-Authenticate", #"Signature realm="gatehouse", headers="(request-target) host date content-digest""#)]
        )
    }

    static func ipDenied(_ ip: ClientIP?) -> GatewayError {
        GatewayError(
            status: .forbidden, code: "ip_denied", message: "requests from \(ip?.description ?? "this address") are not allowed here", decision: .ipDenied
        )
    }

    /// 429: the limit (or quota) that fired, named in the body (policy, window, limit, when to
    /// retry). The limit fields, `Retry-After` among them, come with every response of a
    /// limited request (see ``Exchange/rateLimitFields``).
    static func rateLimited(_ refusal: LimitEvaluation) -> GatewayError {
        let retry = max(1, RateLimitHeaders.seconds(refusal.retryAfterMicros))
        let quota = refusal.rule.isQuota
        return GatewayError(
            status: .tooManyRequests, code: quota ? "quota_exceeded" : "rate_limited",
            message: quota
                ? "\(refusal.rule.windowName) quota of \(refusal.rule.quota) requests used up; it renews in \(retry) s"
                : "rate limit exceeded: \(refusal.rule.policyName), \(refusal.rule.quota) per \(refusal.rule.windowName); retry in \(retry) s",
            decision: quota ? .quotaExceeded : .rateLimited,
            details: [
                "policy": .string(refusal.rule.policyName), "window": .string(refusal.rule.windowName), "limit": .number(Double(refusal.rule.quota)),
                "window_seconds": .number(Double(refusal.windowSeconds)), "retry_after_seconds": .number(Double(retry)),
            ]
        )
    }

    static func unavailable(service: String, retryAfterSeconds: Int?) -> GatewayError {
        GatewayError(
            status: .serviceUnavailable, code: retryAfterSeconds == nil ? "no_healthy_instance" : "circuit_open",
            message: "no instance of \(service) is available", decision: retryAfterSeconds == nil ? .noHealthyInstance : .circuitOpen,
            headers: [("Retry-After", String(retryAfterSeconds ?? 5))]
        )
    }

    static func badGateway(_ message: String) -> GatewayError {
        GatewayError(status: .badGateway, code: "upstream_unavailable", message: message, decision: .upstreamError)
    }

    static func gatewayTimeout(_ message: String) -> GatewayError {
        GatewayError(status: .gatewayTimeout, code: "upstream_timeout", message: message, decision: .upstreamTimeout)
    }

    /// The JSON body.
    func body(requestID: String, at time: Timestamp) -> String {
        var object = details
        object["error"] = .string(message)
        object["code"] = .string(code)
        object["request_id"] = .string(requestID)
        object["timestamp"] = .string(time.rfc3339)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(JSONValue.object(object))) ?? Data(), as: UTF8.self)
    }
}
