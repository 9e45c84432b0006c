import GatehouseCache
import GatehouseCore
import NIOHTTP1
import Testing

/// Pure rules: `Cache-Control` parsing, what may be stored and for how long, and keys.
@Suite("cache: policy and keys")
struct CachePolicyTests {
    /// The directives of `fields` read as a response's (NIO's headers) and as a request's
    /// (received fields), which must agree.
    static func control(_ fields: KeyValuePairs<String, String>) -> CacheControl {
        let pairs = fields.map { ($0.key, $0.value) }
        let response = CacheControl(HTTPHeaders(pairs)), request = CacheControl(ReceivedFields(pairs))
        #expect(response == request)
        return response
    }

    @Test("Cache-Control directives are parsed case-insensitively, across fields, with quoted and malformed arguments")
    func directives() {
        let control = Self.control(["Cache-Control": "Public, MAX-AGE=\"60\"", "cache-control": "s-maxage=abc, no-cache"])
        #expect(control.isPublic && control.noCache && control.maxAge == 60 && control.sharedMaxAge == nil)
        #expect(Self.control(["Pragma": "no-cache"]).noCache)
        #expect(!Self.control(["Pragma": "no-cache", "Cache-Control": "max-age=5"]).noCache)
        #expect(Self.control(["Cache-Control": "max-age=99999999999999999999"]).maxAge == Int(Int32.max))
        // Junk is ignored, never trapped on.
        #expect(Self.control(["Cache-Control": "=, =5, max-age, ;, no-store"]) == { var only = CacheControl(); only.noStore = true; return only }())
    }

    @Test("what is stored, and for how long", arguments: [
        (200, "", false, false, 300, nil),
        (200, "max-age=60", false, false, 60, nil),
        (200, "max-age=60, s-maxage=90", false, false, 90, nil),
        (500, "", false, false, 0, StoragePolicy.Refusal.status),
        (200, "no-store", false, false, 0, .noStore),
        (200, "private", false, false, 0, .isPrivate),
        (200, "", true, false, 0, .authenticated),
        (200, "public", true, false, 300, nil),
        (200, "", true, true, 300, nil),
        (200, "max-age=0", false, false, 0, .noFreshness),
        (404, "", false, false, 300, nil),
    ] as [(UInt, String, Bool, Bool, Int, StoragePolicy.Refusal?)])
    func storage(status: UInt, cacheControl: String, authenticated: Bool, perConsumer: Bool, seconds: Int, refusal: StoragePolicy.Refusal?) {
        var headers: HTTPHeaders = [:]
        if !cacheControl.isEmpty { headers.add(name: "Cache-Control", value: cacheControl) }
        let result = StoragePolicy.decide(
            status: HTTPResponseStatus(statusCode: Int(status)), headers: headers, routeTTL: 300, authenticated: authenticated, isPerConsumer: perConsumer
        )
        switch result {
        case .success(let freshness): #expect(refusal == nil && freshness.seconds == seconds)
        case .failure(let reason): #expect(reason == refusal)
        }
    }

    @Test("Set-Cookie and Vary: * are never stored; no-cache with a validator is stored for revalidation")
    func specialResponses() {
        #expect(throws: StoragePolicy.Refusal.setsCookie) { try StoragePolicy.decide(status: .ok, headers: ["Set-Cookie": "a=b"], routeTTL: 60, authenticated: false, isPerConsumer: false).get() }
        #expect(throws: StoragePolicy.Refusal.varyStar) { try StoragePolicy.decide(status: .ok, headers: ["Vary": "*"], routeTTL: 60, authenticated: false, isPerConsumer: false).get() }
        let revalidate = try? StoragePolicy.decide(status: .ok, headers: ["Cache-Control": "no-cache", "ETag": "\"1\"", "Age": "7"], routeTTL: 60, authenticated: false, isPerConsumer: false).get()
        #expect(revalidate == StoragePolicy.Freshness(seconds: 60, mustRevalidate: true, initialAge: 7))
    }

    @Test("keys: sorted query, the pattern with path parameters, vary_by dimensions, and the anonymous/authenticated split")
    func keys() throws {
        let plain = CacheKey.primary(
            gateway: "wedsync", path: "/api/v1/weddings/42", query: "b=2&a=1&", pattern: nil, parameters: .none, dimensions: [],
            authenticated: false, isPerConsumer: false
        )
        #expect(plain == "wedsync:/api/v1/weddings/42?a=1&b=2|anonymous")
        let patterned = CacheKey.primary(
            gateway: "wedsync", path: "/api/v1/weddings/42", query: "x=1", pattern: "weddings:{weddingId}",
            parameters: try #require(try RouteTemplate("/api/v1/weddings/{weddingId}").match(PathSegments("/api/v1/weddings/42"))),
            dimensions: [("api_key", "k1")], authenticated: true, isPerConsumer: true
        )
        #expect(patterned == "wedsync:weddings:42|api_key=k1")
        #expect(CacheKey.varyNames(["Vary": "Accept-Language, accept-encoding", "vary": "Origin"]) == ["accept-encoding", "accept-language", "origin"])
        #expect(CacheKey.varyNames(["Vary": "Origin, *"]) == nil)
    }
}
