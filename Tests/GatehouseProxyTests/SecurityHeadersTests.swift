import GatehouseCore
import Testing
@testable import GatehouseProxy

@Suite("security headers")
struct SecurityHeadersTests {
    static func names(_ fields: [(String, String)]) -> [String] { fields.map(\.0) }

    @Test("defaults, HSTS only over TLS, per-route overrides and opt-out")
    func fields() {
        #expect(Self.names(SecurityHeaders.fields(for: [], tls: false)) == ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"])
        #expect(SecurityHeaders.fields(for: [], tls: true).last?.1 == "max-age=31536000; includeSubDomains")
        let custom = SecurityHeaders.fields(
            for: [MiddlewareStep(name: "security_headers", config: [
                "x_frame_options": "SAMEORIGIN", "referrer_policy": "", "content_security_policy": "default-src 'self'", "hsts_max_age": 600,
            ])],
            tls: true
        )
        #expect(custom.map { "\($0.0): \($0.1)" } == [
            "X-Content-Type-Options: nosniff", "X-Frame-Options: SAMEORIGIN", "Content-Security-Policy: default-src 'self'",
            "Strict-Transport-Security: max-age=600; includeSubDomains",
        ])
        #expect(SecurityHeaders.fields(for: [MiddlewareStep(name: "security_headers", config: ["enabled": false])], tls: true).isEmpty)
        #expect(Self.names(SecurityHeaders.fields(for: [MiddlewareStep(name: "security_headers", config: ["hsts_max_age": 0])], tls: true))
            == ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"])
    }
}
