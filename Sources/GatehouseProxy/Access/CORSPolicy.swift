import GatehouseCore
import NIOHTTP1

/// A gateway's `cors_config` applied to requests (pure). CORS is on when `allowed_origins` is
/// not empty; the gateway is then the authority: it answers preflights itself and writes the
/// `Access-Control-*` fields of every response (an upstream's own are replaced).
///
/// - Origins: exact (case-insensitive) matches, `*` for any, or a `https://*.example.com`
///   pattern for subdomains. With `credentials: true` the origin is echoed, never `*`.
/// - Methods and headers: an empty list allows whatever the preflight asks for.
enum CORSPolicy {
    /// Gateway fields a browser script may read on a cross-origin response.
    static let exposedHeaders = "X-Request-ID, Retry-After, RateLimit, RateLimit-Policy, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Cache, Deprecation, Sunset"
    /// How long a browser may cache a preflight answer, in seconds.
    static let maxAgeSeconds = 600

    /// Why a preflight was refused.
    enum Refusal: String, Error, Equatable {
        case originNotAllowed = "cors_origin_not_allowed"
        case methodNotAllowed = "cors_method_not_allowed"
        case headerNotAllowed = "cors_header_not_allowed"
    }

    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    static func isPreflight(_ head: ClientRequestHead) -> Bool {
        head.method.isOPTIONS && head.headers.contains(name: "origin") && head.headers.contains(name: "access-control-request-method")
    }

    /// The fields answering a preflight, or why it is refused.
    static func preflight(_ config: CORSConfig, headers: ReceivedFields) -> Result<[(String, String)], Refusal> {
        guard let origin = headers.first(name: "origin"), allows(origin: origin, config) else { return .failure(.originNotAllowed) }
        let method = (headers.first(name: "access-control-request-method") ?? "").uppercased()
        let allowedMethods = config.allowedMethods.map { $0.uppercased() }
        guard allowedMethods.isEmpty || allowedMethods.contains(method) else { return .failure(.methodNotAllowed) }
        let requested = headers[canonicalForm: "access-control-request-headers"].map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
        let allowedHeaders = Set(config.allowedHeaders.map { $0.lowercased() })
        let reflectHeaders = allowedHeaders.isEmpty || allowedHeaders.contains("*")
        guard reflectHeaders || requested.allSatisfy(allowedHeaders.contains) else { return .failure(.headerNotAllowed) }
        var fields = originFields(origin, config)
        fields.append(("Access-Control-Allow-Methods", allowedMethods.isEmpty ? method : allowedMethods.joined(separator: ", ")))
        let headerList = reflectHeaders ? requested : config.allowedHeaders
        if !headerList.isEmpty { fields.append(("Access-Control-Allow-Headers", headerList.joined(separator: ", "))) }
        fields.append(("Access-Control-Max-Age", String(maxAgeSeconds)))
        return .success(fields)
    }

    /// The fields for an actual (non-preflight) response to a request from `origin`.
    static func responseFields(_ config: CORSConfig, origin: String?) -> [(String, String)] {
        guard !config.allowedOrigins.isEmpty else { return [] }
        guard let origin, allows(origin: origin, config) else { return [("Vary", "Origin")] }
        return originFields(origin, config) + [("Access-Control-Expose-Headers", exposedHeaders)]
    }

    /// Whether `origin` may call.
    static func allows(origin: String, _ config: CORSConfig) -> Bool {
        let origin = origin.lowercased()
        return config.allowedOrigins.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern == "*" || pattern == origin { return true }
            guard let star = pattern.range(of: "://*.") else { return false }
            let scheme = pattern[..<star.lowerBound], suffix = pattern[star.upperBound...]
            return origin.hasPrefix(scheme + "://") && origin.hasSuffix("." + suffix)
        }
    }

    private static func originFields(_ origin: String, _ config: CORSConfig) -> [(String, String)] {
        let any = config.allowedOrigins.contains("*") && !config.credentials
        var fields: [(String, String)] = [("Access-Control-Allow-Origin", any ? "*" : origin), ("Vary", "Origin")]
        if config.credentials { fields.append(("Access-Control-Allow-Credentials", "true")) }
        return fields
    }
}
