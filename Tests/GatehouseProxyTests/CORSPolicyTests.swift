import GatehouseCore
import NIOHTTP1
import Testing
@testable import GatehouseProxy

@Suite("CORS policy")
struct CORSPolicyTests {
    static let config = CORSConfig(
        allowedOrigins: ["https://app.wedsync.example", "https://*.planners.example"], allowedMethods: ["GET", "POST"],
        allowedHeaders: ["X-API-Key", "Content-Type"], credentials: true
    )

    static func preflight(origin: String, method: String, headers: String? = nil, config: CORSConfig = config) -> Result<[(String, String)], CORSPolicy.Refusal> {
        var fields = HTTPHeaders([("Origin", origin), ("Access-Control-Request-Method", method)])
        if let headers { fields.add(name: "Access-Control-Request-Headers", value: headers) }
        return CORSPolicy.preflight(config, headers: ReceivedFields(fields))
    }

    static func value(_ name: String, in fields: [(String, String)]) -> String? { fields.first { $0.0 == name }?.1 }

    @Test("origins: exact, case-insensitive, subdomain patterns, and '*'")
    func origins() {
        #expect(CORSPolicy.allows(origin: "https://app.wedsync.example", Self.config))
        #expect(CORSPolicy.allows(origin: "HTTPS://APP.WEDSYNC.EXAMPLE", Self.config))
        #expect(CORSPolicy.allows(origin: "https://ada.planners.example", Self.config))
        #expect(!CORSPolicy.allows(origin: "https://planners.example", Self.config))
        #expect(!CORSPolicy.allows(origin: "http://ada.planners.example", Self.config))
        #expect(!CORSPolicy.allows(origin: "https://evil.example", Self.config))
        #expect(CORSPolicy.allows(origin: "https://anything.example", CORSConfig(allowedOrigins: ["*"])))
    }

    @Test("a preflight within the rules gets the origin echoed (credentials), methods, headers and max-age")
    func allowedPreflight() throws {
        let fields = try Self.preflight(origin: "https://app.wedsync.example", method: "post", headers: "x-api-key, content-type").get()
        #expect(Self.value("Access-Control-Allow-Origin", in: fields) == "https://app.wedsync.example")
        #expect(Self.value("Access-Control-Allow-Credentials", in: fields) == "true")
        #expect(Self.value("Access-Control-Allow-Methods", in: fields) == "GET, POST")
        #expect(Self.value("Access-Control-Allow-Headers", in: fields) == "X-API-Key, Content-Type")
        #expect(Self.value("Access-Control-Max-Age", in: fields) == "600")
        #expect(Self.value("Vary", in: fields) == "Origin")
    }

    @Test("a preflight outside the rules is refused with what is wrong")
    func refusedPreflight() {
        #expect(throws: CORSPolicy.Refusal.originNotAllowed) { try Self.preflight(origin: "https://evil.example", method: "GET").get() }
        #expect(throws: CORSPolicy.Refusal.methodNotAllowed) { try Self.preflight(origin: "https://app.wedsync.example", method: "DELETE").get() }
        #expect(throws: CORSPolicy.Refusal.headerNotAllowed) {
            try Self.preflight(origin: "https://app.wedsync.example", method: "GET", headers: "x-api-key, x-debug").get()
        }
    }

    @Test("empty method and header lists reflect the request; '*' without credentials answers '*'")
    func permissive() throws {
        let open = CORSConfig(allowedOrigins: ["*"])
        let fields = try Self.preflight(origin: "https://a.example", method: "PATCH", headers: "X-Custom", config: open).get()
        #expect(Self.value("Access-Control-Allow-Origin", in: fields) == "*")
        #expect(Self.value("Access-Control-Allow-Methods", in: fields) == "PATCH")
        #expect(Self.value("Access-Control-Allow-Headers", in: fields) == "x-custom")
        #expect(Self.value("Access-Control-Allow-Credentials", in: fields) == nil)
    }

    @Test("actual responses: allowed origins get the fields and exposed gateway headers; others only Vary")
    func responses() {
        let allowed = CORSPolicy.responseFields(Self.config, origin: "https://app.wedsync.example")
        #expect(Self.value("Access-Control-Allow-Origin", in: allowed) == "https://app.wedsync.example")
        #expect(Self.value("Access-Control-Expose-Headers", in: allowed)?.contains("X-Request-ID") == true)
        let refused = CORSPolicy.responseFields(Self.config, origin: "https://evil.example")
        #expect(refused.map(\.0) == ["Vary"])
        #expect(CORSPolicy.responseFields(CORSConfig(), origin: "https://app.wedsync.example").isEmpty)
    }
}
