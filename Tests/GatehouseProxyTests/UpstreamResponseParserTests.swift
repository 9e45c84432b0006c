import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// Gatehouse's reader of upstream responses, checked against NIO's `HTTPResponseDecoder` (which
/// it replaced on upstream connections) on the same bytes, however they are split into reads.
@Suite("Upstream response parser")
struct UpstreamResponseParserTests {
    /// Responses both readers must read alike: (request method, bytes, input ends after them).
    static let responses: [(HTTPMethod, String, Bool)] = [
        (.GET, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b c\r\nContent-Type: text/plain\r\n\r\nhello", false),
        (.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n", false),
        (.GET, "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", false),
        (.GET, "HTTP/1.1 204 No Content\r\nX-Empty: \r\n\r\n", false),
        (.GET, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: \"v1\"\r\n\r\n", false),
        (.HEAD, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", false),
        (.GET, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false),
        (.GET, "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the connection closes", true),
        (.GET, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false),
        (.GET, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad", false),
        (.GET, "HTTP/1.1 200 OK\r\nX-Obs-Text: caf\u{E9}\r\n\r\nbody then close", true),
        (.POST, "HTTP/1.1 404 \r\nContent-Length: 1\r\n\r\nx", false),
    ]

    @Test("reads every response as NIO's decoder does, whole, byte by byte and split at every position")
    func agreesWithNIO() throws {
        for (method, text, closes) in Self.responses {
            let bytes = Array(text.utf8)
            let expected = try Self.nioParts(method: method, bytes: bytes, closes: closes)
            #expect(!expected.isEmpty)
            let whole = try Self.parts(method: method, reads: [bytes], closes: closes)
            #expect(whole == expected, "\(text): \(whole) ≠ NIO's \(expected)")
            #expect(try Self.parts(method: method, reads: bytes.map { [$0] }, closes: closes) == expected, "\(text) byte by byte")
            for split in 1 ..< bytes.count {
                let reads = [Array(bytes[..<split]), Array(bytes[split...])]
                #expect(try Self.parts(method: method, reads: reads, closes: closes) == expected, "\(text) split at \(split)")
            }
        }
    }

    @Test("two responses on one connection, each after its request")
    func keepAlive() throws {
        var parser = UpstreamResponseParser()
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb")
        parser.expectResponse(toHEAD: false)
        var first: [String] = []
        while first.last != "end", let part = try parser.next(from: &buffer) { first += part.nioParts.map(Self.describe) }
        #expect(first == ["head HTTP/1.1 200 OK [Content-Length: 1]", "body a", "end"])
        #expect(throws: HTTP1ParseError.unsolicitedBytes) { try parser.next(from: &buffer) }
        parser.expectResponse(toHEAD: false)
        var second: [String] = []
        while let part = try parser.next(from: &buffer) { second += part.nioParts.map(Self.describe) }
        #expect(second == ["head HTTP/1.1 200 OK [Content-Length: 1]", "body b", "end"])
    }

    @Test("a body of known length ends with its last bytes: one part when it arrives whole, the last of several when not")
    func lastBody() throws {
        #expect(try Self.kinds(reads: ["HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"]) == ["head", "last body hello"])
        #expect(try Self.kinds(reads: ["HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", "lo"]) == ["head", "body hel", "last body lo"])
        // Chunked bodies end with their last chunk and any trailers: a separate end.
        #expect(try Self.kinds(reads: ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"]) == ["head", "body hi", "end"])
    }

    @Test("after a 101 the bytes that follow are left for the upgraded protocol")
    func upgrade() throws {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: false)
        var buffer = ByteBuffer(string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u{81}\u{05}hello")
        var parts: [String] = []
        while let part = try parser.next(from: &buffer) { parts += part.nioParts.map(Self.describe) }
        #expect(parts == ["head HTTP/1.1 101 Switching Protocols [Upgrade: websocket, Connection: Upgrade]", "end"])
        #expect(parser.isUpgraded)
        #expect(buffer.readableBytes == 8)
    }

    @Test("a body cut short by the close is no end; a line-feed-only head is read; values lose their surrounding spaces")
    func edges() throws {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: false)
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\nContent-Length: 10\nX-A: \t a b \t\n\nshort")
        // (NIO's decoder keeps trailing spaces; RFC 9110 §5.5 excludes them from the value.)
        #expect(try parser.next(from: &buffer)?.nioParts.map(Self.describe) == ["head HTTP/1.1 200 OK [Content-Length: 10, X-A: a b]"])
        #expect(try parser.next(from: &buffer)?.nioParts.map(Self.describe) == ["body short"])
        #expect(try parser.next(from: &buffer) == nil)
        #expect(parser.inputEnded() == nil)
        // A list of one length repeated is that length (RFC 9110 §8.6; NIO's decoder refuses it).
        parser.expectResponse(toHEAD: false)
        buffer = ByteBuffer(string: "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3, 3\r\n\r\nbad")
        var parts: [String] = []
        while parts.last != "end", let part = try parser.next(from: &buffer) { parts += part.nioParts.map(Self.describe) }
        #expect(parts == ["head HTTP/1.1 502 Bad Gateway [Content-Length: 3, 3]", "body bad", "end"])
    }

    @Test("ambiguous or malformed responses are refused", arguments: [
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", HTTP1ParseError.contentLengthWithTransferEncoding),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n", .invalidFieldName),
        ("HTTP/1.1 200 OK\r\n: 1\r\n\r\n", .invalidFieldName),
        ("HTTP/1.1 200 OK\r\nX-A\r\n\r\n", .invalidFieldName),
        ("HTTP/1.1 200 OK\r\nX-A: a\u{0}b\r\n\r\n", .invalidFieldValue(name: "X-A")),
        ("HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", .invalidFieldValue(name: "X-A")),
        ("HTTP/1.1 2000 OK\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 099 Low\r\n\r\n", .invalidStatusLine),
        ("HTX/1.1 200 OK\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n", .invalidChunkSize),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", .invalidChunkSize),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX", .missingChunkTerminator),
    ])
    func refused(text: String, error: HTTP1ParseError) {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: false)
        var buffer = ByteBuffer(string: text)
        #expect(throws: error) {
            while try parser.next(from: &buffer) != nil {}
        }
    }

    @Test("a head longer than the limit is refused before it ends")
    func headLimit() {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: false)
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: UpstreamResponseParser.headLimit))
        #expect(throws: HTTP1ParseError.headTooLarge(limit: UpstreamResponseParser.headLimit)) { try parser.next(from: &buffer) }
    }

    // MARK: Helpers

    /// The kind of each part the parser reads from `reads`, arriving one after the other.
    static func kinds(reads: [String]) throws -> [String] {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: false)
        var buffer = ByteBuffer(), kinds: [String] = []
        for read in reads {
            buffer.writeString(read)
            while let part = try parser.next(from: &buffer) { kinds.append(kind(of: part)) }
        }
        return kinds
    }

    /// Which part `part` is, with its body's text.
    static func kind(of part: UpstreamResponsePart) -> String {
        switch part {
        case .head: "head"
        case .body(let body): "body \(String(buffer: body))"
        case .lastBody(let body): "last body \(String(buffer: body))"
        case .end: "end"
        }
    }

    /// Gatehouse's parser over `reads`, then the end of input when `closes`.
    static func parts(method: HTTPMethod, reads: [[UInt8]], closes: Bool) throws -> [String] {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: method == .HEAD)
        var parts: [HTTPClientResponsePart] = []
        var carried = ByteBuffer()
        for read in reads {
            carried.writeBytes(read)
            while let part = try parser.next(from: &carried) { parts += part.nioParts }
            if parser.isUpgraded { break }
        }
        if closes, let end = parser.inputEnded() { parts += end.nioParts }
        return normalized(parts)
    }

    /// NIO's decoder over the same bytes in one read.
    static func nioParts(method: HTTPMethod, bytes: [UInt8], closes: Bool) throws -> [String] {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: "/")))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        if closes { channel.pipeline.fireChannelInactive() }
        var parts: [HTTPClientResponsePart] = []
        while let part = try channel.readInbound(as: HTTPClientResponsePart.self) { parts.append(part) }
        _ = try? channel.finish()
        return normalized(parts)
    }

    /// Parts as text, consecutive body parts joined (how a body is split is not its content).
    static func normalized(_ parts: [HTTPClientResponsePart]) -> [String] {
        var texts: [String] = []
        for part in parts {
            let text = describe(part)
            if text.hasPrefix("body "), let last = texts.last, last.hasPrefix("body ") {
                texts[texts.count - 1] = last + text.dropFirst(5)
            } else {
                texts.append(text)
            }
        }
        return texts
    }

    static func describe(_ part: HTTPClientResponsePart) -> String {
        func fields(_ headers: HTTPHeaders) -> String { "[" + headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]" }
        switch part {
        case .head(let head): return "head \(head.version) \(head.status.code) \(head.status.reasonPhrase) \(fields(head.headers))"
        case .body(let body): return "body " + String(buffer: body)
        case .end(let trailers): return trailers.map { "end " + fields($0) } ?? "end"
        }
    }
}

extension UpstreamResponsePart {
    /// The part as NIO's decoder gives it (a last body as a body and an end), to compare the
    /// two readers.
    var nioParts: [HTTPClientResponsePart] {
        switch self {
        case .head(let head): [.head(head.nioHead)]
        case .body(let body): [.body(body)]
        case .lastBody(let body): [.body(body), .end(nil)]
        case .end(let trailers): [.end(trailers)]
        }
    }
}

extension UpstreamResponseParserTests {
    @Test("a response's field positions fill the storage the one before left, once nothing holds that head")
    func fieldStorageReused() throws {
        var parser = UpstreamResponseParser()
        func fieldsStorage(of text: String) throws -> UnsafeRawPointer? {
            parser.expectResponse(toHEAD: false)
            var buffer = ByteBuffer(string: text)
            guard case .head(let head)? = try parser.next(from: &buffer) else {
                Issue.record("no head")
                return nil
            }
            while let part = try parser.next(from: &buffer), case .body = part {}
            return head.fields.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok"
        let first = try fieldsStorage(of: response)
        let second = try fieldsStorage(of: response)
        #expect(first != nil && first == second)
        // A head still held keeps its storage: the next response's fields go elsewhere.
        parser.expectResponse(toHEAD: false)
        var buffer = ByteBuffer(string: response)
        guard case .head(let held)? = try parser.next(from: &buffer) else {
            Issue.record("no head")
            return
        }
        while let part = try parser.next(from: &buffer), case .body = part {}
        let next = try fieldsStorage(of: "HTTP/1.1 204 No Content\r\nX-B: c\r\n\r\n")
        #expect(held.fields.count == 2 && held.fields.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } != next)
    }
}
