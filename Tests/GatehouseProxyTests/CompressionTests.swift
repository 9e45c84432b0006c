import Foundation
import GatehouseTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// Choosing a coding, deciding what is compressed, and the deflate stream itself.
@Suite("compression")
struct CompressionTests {
    @Test("Accept-Encoding: q-values, q=0 refusals, the wildcard, and gzip winning ties", arguments: [
        ("gzip", ContentCoding.gzip), ("deflate", .deflate), ("gzip, deflate, br", .gzip), ("gzip;q=0.5, deflate", .deflate),
        ("deflate;q=0.5, gzip;q=0.5", .gzip), ("br", nil), ("*", .gzip), ("*;q=0.3, gzip;q=0", .deflate), ("gzip;q=0", nil),
        ("identity", nil), ("X-GZIP", .gzip), (";", nil), (";;q=1, gzip", .gzip), ("gzip ; q = 0.5 , deflate;q=0.4", .gzip),
    ] as [(String, ContentCoding?)])
    func negotiation(header: String, expected: ContentCoding?) {
        #expect(ContentCoding.preferred(by: ["Accept-Encoding": header]) == expected)
    }

    @Test("what is compressed: types, sizes, existing codings, ranges, no-transform, HEAD and event streams")
    func policy() {
        func compressible(_ fields: [(String, String)], status: HTTPResponseStatus = .ok, method: HTTPMethod = .GET) -> Bool {
            CompressionPolicy.compressible(status: status, headers: HTTPHeaders(fields), method: method, minimumBytes: 1024)
        }
        #expect(compressible([("Content-Type", "application/json; charset=utf-8"), ("Content-Length", "2000")]))
        #expect(compressible([("Content-Type", "application/problem+json")]))  // unknown length: streamed
        #expect(compressible([("Content-Type", "text/html")]))
        #expect(!compressible([("Content-Type", "application/json"), ("Content-Length", "100")]))
        #expect(!compressible([("Content-Type", "image/png"), ("Content-Length", "5000")]))
        #expect(!compressible([("Content-Type", "application/json"), ("Content-Encoding", "br")]))
        #expect(!compressible([("Content-Type", "application/json"), ("Cache-Control", "public, no-transform")]))
        #expect(!compressible([("Content-Type", "text/event-stream")]))
        #expect(!compressible([("Content-Type", "application/json")], status: .partialContent))
        #expect(!compressible([("Content-Type", "application/json")], status: .noContent))
        #expect(!compressible([("Content-Type", "application/json")], method: .HEAD))
        #expect(!compressible([]))

        var headers: HTTPHeaders = ["Content-Length": "2000", "ETag": "\"v1\"", "Vary": "Origin"]
        CompressionPolicy.markCompressed(&headers, coding: .gzip)
        #expect(headers["content-encoding"] == ["gzip"] && headers["content-length"].isEmpty && headers["etag"] == ["W/\"v1\""])
        #expect(headers[canonicalForm: "vary"].map(String.init) == ["Origin", "Accept-Encoding"])
        CompressionPolicy.addVary(&headers)
        #expect(headers[canonicalForm: "vary"].count == 2)
    }

    @Test("a body fed in pieces inflates back to itself, gzip and deflate", arguments: [ContentCoding.gzip, .deflate])
    func roundTrip(coding: ContentCoding) throws {
        let text = String(repeating: "{\"guest\":\"Ada\",\"rsvp\":\"yes\",\"meal\":\"vegetarian\"},", count: 2000)
        let stream = try #require(DeflateStream(coding: coding))
        var compressed = Data()
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: 7000) {
            let piece = ByteBuffer(bytes: bytes[start ..< min(bytes.count, start + 7000)])
            compressed += Data(stream.compress(piece, finish: false, allocator: ByteBufferAllocator()).readableBytesView)
        }
        compressed += Data(stream.compress(ByteBuffer(), finish: true, allocator: ByteBufferAllocator()).readableBytesView)
        #expect(compressed.count < bytes.count / 10)
        #expect(compressed.prefix(2) == (coding == .gzip ? Data([0x1f, 0x8b]) : Data([0x78, 0x5e])))
        #expect(String(decoding: try Inflate.decompress(compressed), as: UTF8.self) == text)
    }
}
