import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// Compression on real responses, relayed and cached.
@Suite("proxy: compression", .serialized)
struct ProxyCompressionTests {
    @Test("gzip or deflate by Accept-Encoding for large compressible responses, Vary: Accept-Encoding, identity otherwise; cache hits too")
    func compression() async throws {
        let fixture = try ProxyCacheTests.start()
        defer { fixture.tearDown() }
        let target = "/api/items/big?pad=20000"
        let plain = try await ProxyCacheTests.get(fixture, target)
        #expect(plain.header("Content-Encoding") == nil)
        #expect(plain.header("Vary")?.contains("Accept-Encoding") == true)
        let gzip = try await ProxyCacheTests.get(fixture, target, [("Accept-Encoding", "gzip, deflate")])
        #expect(gzip.header("X-Cache") == "HIT")
        #expect(gzip.header("Content-Encoding") == "gzip")
        #expect(gzip.body.count < plain.body.count / 5)
        #expect(try Inflate.decompress(gzip.body) == plain.body)
        let deflate = try await ProxyCacheTests.get(fixture, target, [("Accept-Encoding", "gzip;q=0.1, deflate")])
        #expect(deflate.header("Content-Encoding") == "deflate")
        #expect(try Inflate.decompress(deflate.body) == plain.body)
        #expect(try await ProxyCacheTests.get(fixture, target, [("Accept-Encoding", "gzip;q=0")]).header("Content-Encoding") == nil)
        // After that plain hit the entry keeps its head encoded: the next plain hit writes it (with
        // `Vary`), a client accepting gzip still gets its own compressed one.
        let encoded = try await ProxyCacheTests.get(fixture, target)
        #expect(encoded.header("Content-Encoding") == nil && encoded.header("Vary")?.contains("Accept-Encoding") == true && encoded.body == plain.body)
        let gzipAgain = try await ProxyCacheTests.get(fixture, target, [("Accept-Encoding", "gzip")])
        #expect(gzipAgain.header("Content-Encoding") == "gzip" && (try? Inflate.decompress(gzipAgain.body)) == plain.body)
        // Hits send the body coded once: the same bytes each time, with their length; after the
        // first hit of a coding, the others write its encoded head (the same fields, its own id).
        #expect(gzipAgain.body == gzip.body && gzip.header("Content-Length") == String(gzip.body.count))
        let withoutIDs = { (response: TestResponse) in ProxyCacheTests.hitFields(response).filter { !$0.hasPrefix("X-Request-ID") } }
        #expect(withoutIDs(gzipAgain) == withoutIDs(gzip) && gzipAgain.header("X-Request-ID") != gzip.header("X-Request-ID"))
        #expect(gzip.header("Transfer-Encoding") == nil && gzip.header("ETag").map { $0.hasPrefix("W/") } != false)
        let deflateAgain = try await ProxyCacheTests.get(fixture, target, [("Accept-Encoding", "deflate")])
        #expect(deflateAgain.header("Content-Encoding") == "deflate" && deflateAgain.body == deflate.body)
        #expect(withoutIDs(deflateAgain) == withoutIDs(deflate))

        // A relayed (uncached, chunked) response is compressed as it streams; small ones are not.
        let streamed = try await TestHTTP.request("GET", "/api/plain/big?pad=50000", port: fixture.port, headers: [("Accept-Encoding", "gzip")])
        #expect(streamed.header("Content-Encoding") == "gzip" && streamed.header("Content-Length") == nil)
        let decoded = try JSONSerialization.jsonObject(with: try Inflate.decompress(streamed.body)) as? [String: Any]
        #expect((decoded?["padding"] as? String)?.count ?? 0 > 50000)
        let small = try await TestHTTP.request("GET", "/api/plain/small", port: fixture.port, headers: [("Accept-Encoding", "gzip")])
        #expect(small.header("Content-Encoding") == nil)
        #expect(try small.json()["path"] as? String == "/cacheable/plain/small")
        fixture.stop()
        let sizes = try fixture.outcomes().filter { $0.path == "/api/items/big" }.map(\.responseBytes)
        #expect(sizes.count == 7 && sizes[1] < sizes[0] / 5 && sizes[4] == sizes[0] && sizes[5] == sizes[1] && sizes[6] == sizes[2])  // what the client received
    }
}
