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
        #expect(sizes.count == 4 && sizes[1] < sizes[0] / 5)  // what the client received
    }
}
