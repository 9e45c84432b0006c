import GatehouseCore

/// Response fields that harden what browsers do with API responses, added to every response
/// unless the upstream set the same field itself:
///
/// | field | default |
/// |---|---|
/// | `X-Content-Type-Options` | `nosniff` |
/// | `X-Frame-Options` | `DENY` |
/// | `Referrer-Policy` | `strict-origin-when-cross-origin` |
/// | `Strict-Transport-Security` | `max-age=31536000; includeSubDomains`, on TLS only |
/// | `Content-Security-Policy` | `default-src 'none'; frame-ancestors 'none'` on the gateway's own answers |
///
/// A route changes them with a `security_headers` step in its `middleware_config`:
/// `{"name": "security_headers", "config": {"enabled": false}}`, or per field
/// (`x_frame_options`, `referrer_policy`, `content_security_policy`, `hsts_max_age` — 0 drops
/// HSTS; a value of `""` drops that field).
enum SecurityHeaders {
    static let gatewayContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"

    /// The fields for a response on a route with these middleware steps (none: the route has
    /// none, or the gateway answered before routing).
    static func fields(for middleware: [MiddlewareStep], tls: Bool) -> [(String, String)] {
        guard let step = middleware.first(where: { $0.name == "security_headers" }) else {
            return tls ? defaultsOverTLS : defaults
        }
        if case .bool(false)? = step.config["enabled"] { return [] }
        func value(_ key: String, _ fallback: String) -> String {
            if case .string(let text)? = step.config[key] { return text }
            return fallback
        }
        var fields: [(String, String)] = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", value("x_frame_options", "DENY")),
            ("Referrer-Policy", value("referrer_policy", "strict-origin-when-cross-origin")),
        ]
        let csp = value("content_security_policy", "")
        if !csp.isEmpty { fields.append(("Content-Security-Policy", csp)) }
        if tls {
            var maxAge = 31_536_000
            if case .number(let seconds)? = step.config["hsts_max_age"] { maxAge = Int(seconds) }
            if maxAge > 0 { fields.append(("Strict-Transport-Security", "max-age=\(maxAge); includeSubDomains")) }
        }
        return fields.filter { !$0.1.isEmpty }
    }

    /// The default fields as HTTP/1 field lines followed by this gateway's `Via` line — the
    /// end of a relayed head whose route changes no security field and whose upstream set none
    /// of them and no `Via` (`tls`: with `Strict-Transport-Security`).
    static func defaultLinesAndVia(tls: Bool) -> [UInt8] { tls ? defaultLinesAndViaOverTLS : defaultLinesAndViaInClear }

    /// Whether a route with these middleware steps gets the default fields.
    static func usesDefaults(_ middleware: [MiddlewareStep]) -> Bool {
        !middleware.contains { $0.name == "security_headers" }
    }

    private static let defaultLinesAndViaInClear = lines(defaults + [("Via", ForwardingHeaders.via)])
    private static let defaultLinesAndViaOverTLS = lines(defaultsOverTLS + [("Via", ForwardingHeaders.via)])

    private static func lines(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { "\($0.0): \($0.1)\r\n" }.joined().utf8)
    }

    private static let defaults: [(String, String)] = [
        ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
    private static let defaultsOverTLS = defaults + [("Strict-Transport-Security", "max-age=31536000; includeSubDomains")]
}
