import GatehouseCache
import NIOCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// A cache hit's head encoded once and filled in per hit (``EncodedHitHead``): it must write
/// exactly what encoding the head built field by field for that hit writes.
@Suite("encoded hit heads")
struct EncodedHitHeadTests {
    /// A hit's values: its request id, the entry's age and remaining freshness.
    struct Hit {
        var requestID: String
        var age: Int
        var freshness: Int
    }

    /// The kinds of stored response: whether its route keeps consumers apart, and whether the
    /// upstream set its own `Cache-Control` (with the `max-age` of the first hit's freshness: it
    /// must stay as it is all the same). Every stored response has an upstream `Age`, replaced.
    static let kinds: [(isPerConsumer: Bool, upstreamPolicy: Bool)] = [(false, false), (false, true), (true, false), (true, true)]

    static let hits = [
        Hit(requestID: "req-first-0001", age: 0, freshness: 300),
        Hit(requestID: "a-much-longer-request-id-from-a-client-0002", age: 1234, freshness: 5),
        Hit(requestID: "r3", age: 299, freshness: 0),
    ]

    @Test("filled in with another hit's values, the encoded head is that hit's head encoded field by field", arguments: kinds)
    func fillsAsBuilt(isPerConsumer: Bool, upstreamPolicy: Bool) throws {
        for built in Self.hits {
            let encoded = try #require(Self.encode(Self.head(built, isPerConsumer: isPerConsumer, upstreamPolicy: upstreamPolicy), built, isPerConsumer, upstreamPolicy))
            for hit in Self.hits {
                var filled = ByteBuffer()
                encoded.write(into: &filled, requestID: hit.requestID, age: hit.age, freshness: hit.freshness)
                let expected = Self.encoded(Self.head(hit, isPerConsumer: isPerConsumer, upstreamPolicy: upstreamPolicy))
                #expect(String(buffer: filled) == expected)
            }
        }
    }

    @Test("a head whose gap fields are missing, repeated or not as the cache writes them is not encoded")
    func refusesUnexpectedHeads() {
        let hit = Self.hits[0]
        let good = Self.head(hit, isPerConsumer: false, upstreamPolicy: false)
        #expect(Self.encode(good, hit, false, false) != nil)
        func changed(_ edit: (inout HTTPHeaders) -> Void) -> HTTPResponseHead {
            var head = good
            edit(&head.headers)
            return head
        }
        let heads = [
            changed { $0.replaceOrAdd(name: "X-Request-ID", value: "someone-else") },
            changed { $0.remove(name: "Age") },
            changed { $0.add(name: "Age", value: "0") },
            changed { $0.replaceOrAdd(name: "Surrogate-Control", value: "max-age=299") },
            changed { $0.replaceOrAdd(name: "Cache-Control", value: "no-cache") },
            changed { $0.remove(name: "Surrogate-Control") },
        ]
        for head in heads { #expect(Self.encode(head, hit, false, false) == nil, "\(head.headers)") }
    }

    /// A hit's head as `ProxyHandler.serveFromCache` builds it: the stored fields, the gateway's,
    /// then the cache's own (set by the same code).
    static func head(_ hit: Hit, isPerConsumer: Bool, upstreamPolicy: Bool) -> HTTPResponseHead {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "ETag": "\"v1\"", "Content-Length": "12", "Age": "40"]
        if upstreamPolicy { headers.add(name: "Cache-Control", value: "public, max-age=300") }
        headers.add(name: "X-Request-ID", value: hit.requestID)
        headers.add(name: "X-Gateway", value: "wedsync-api-gateway")
        headers.add(name: "X-Backend-Service", value: "weddings")
        headers.add(name: "Via", value: "1.1 gatehouse")
        let held = ServingFields(presentIn: headers)
        CacheResponseFields.set(&headers, "Age", String(hit.age), replacing: held.contains(.age))
        CacheResponseFields.apply(
            to: &headers, status: .hit, freshness: hit.freshness, isPerConsumer: isPerConsumer, upstreamSetPolicy: upstreamPolicy, held: held
        )
        return HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
    }

    static func encode(_ head: HTTPResponseHead, _ hit: Hit, _ isPerConsumer: Bool, _ upstreamPolicy: Bool) -> EncodedHitHead? {
        EncodedHitHead(
            encoding: head, requestID: hit.requestID, age: hit.age, freshness: hit.freshness, setsSurrogateControl: !isPerConsumer,
            setsCacheControl: !upstreamPolicy, circumstances: .init(gatewayName: "wedsync-api-gateway", service: "weddings", isTLS: false),
            compressible: false
        )
    }

    /// `head` as the client codec encodes a head part.
    static func encoded(_ head: HTTPResponseHead) -> String {
        var buffer = ByteBuffer()
        buffer.writeHTTP1StatusLine(version: head.version, status: head.status)
        buffer.writeHTTP1Fields(head.headers)
        return String(buffer: buffer)
    }
}
