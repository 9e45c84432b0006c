import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// Gatehouse's HTTP/1 codec on client connections, checked against NIO's server pipeline
/// (which it replaced) on the same bytes and response parts.
@Suite("HTTP/1 server codec")
struct HTTP1ServerCodecTests {
    /// Request streams both must read alike.
    static let requests: [String] = [
        "GET /api/v1/weddings?page=2 HTTP/1.1\r\nHost: api.example\r\nAccept: */*\r\nX-Spaces:   a b\r\n\r\n",
        "POST /api/rsvp HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"ok\":true}",
        "PUT /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;note=x\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Sum: 9\r\n\r\n",
        "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\nDELETE /three HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        "\r\nGET /after-empty-line HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET http://api.example/absolute?x=%20 HTTP/1.1\r\nHost: api.example\r\n\r\n",
        "PATCH /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\nHEAD /c HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /obs-text HTTP/1.1\r\nHost: x\r\nX-Obs: caf\u{E9}\r\n\r\n",
    ]

    @Test("reads every request stream as NIO's decoder does, whole, byte by byte and split at every position")
    func readsAsNIO() throws {
        for text in Self.requests {
            let bytes = Array(text.utf8)
            let expected = try Self.nioParts(bytes)
            #expect(!expected.isEmpty)
            let whole = try Self.parts([bytes])
            #expect(whole == expected, "\(text): \(whole) ≠ NIO's \(expected)")
            #expect(try Self.parts(bytes.map { [$0] }) == expected, "\(text) byte by byte")
            for split in 1 ..< bytes.count {
                #expect(try Self.parts([Array(bytes[..<split]), Array(bytes[split...])]) == expected, "\(text) split at \(split)")
            }
        }
    }

    /// Exchanges: the request, then the response parts written for it.
    static let exchanges: [(String, [HTTPServerResponsePart])] = [
        ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", [
            .head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "5", "X-Cache": "HIT"])),
            .body(.byteBuffer(ByteBuffer(string: "hello"))), .end(nil),
        ]),
        ("GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n", [
            .head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Transfer-Encoding": "chunked"])),
            .body(.byteBuffer(ByteBuffer(string: "part one"))), .body(.byteBuffer(ByteBuffer(string: String(repeating: "z", count: 5000)))),
            .body(.byteBuffer(ByteBuffer())), .end(["X-Trailer": "t"]),
        ]),
        ("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", [
            .head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Transfer-Encoding": "chunked"])), .end(nil),
        ]),
        ("POST /expect HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nok", [
            .head(HTTPResponseHead(version: .http1_1, status: .continue)),
            .head(HTTPResponseHead(version: .http1_1, status: .custom(code: 429, reasonPhrase: "Too Many Requests"), headers: ["Retry-After": "1", "Content-Length": "0"])),
            .end(nil),
        ]),
        ("GET /old HTTP/1.0\r\nHost: x\r\n\r\n", [
            .head(HTTPResponseHead(version: .http1_0, status: .notFound, headers: ["Transfer-Encoding": "chunked"])),
            .body(.byteBuffer(ByteBuffer(string: "no"))), .end(nil),
        ]),
        ("GET /odd HTTP/1.1\r\nHost: x\r\n\r\n", [
            .head(HTTPResponseHead(version: .http1_1, status: .custom(code: 299, reasonPhrase: ""), headers: ["Content-Length": "0", "X-Empty": ""])),
            .end(nil),
        ]),
    ]

    @Test("writes every response as NIO's encoder does, byte for byte")
    func writesAsNIO() throws {
        for (request, response) in Self.exchanges {
            let ours = try Self.exchange(try Self.channel(headLimit: 16384), request: request, response: response)
            let nio = try Self.nioWritten(request: request, response: response)
            #expect(ours == nio, "\(request): \(ours) ≠ NIO's \(nio)")
        }
    }

    @Test("a response whose head the proxy encoded is written as its parts are: for GET, HEAD and pipelined requests")
    func encodedResponse() throws {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Type": "text/plain", "Content-Length": "2"])
        let body = ByteBuffer(string: "ok")
        let requests = [
            ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1), ("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", 1),
            ("HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n", 2),
        ]
        for (request, responses) in requests {
            let parts: [HTTPServerResponsePart] = [.head(head), .body(.byteBuffer(body)), .end(nil)]
            let expected = try Self.exchange(try Self.channel(headLimit: 16384), request: request, response: Array((0 ..< responses).map { _ in parts }.joined()))
            let channel = try Self.channel(headLimit: 16384)
            let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ServerCodec.self)
            try channel.writeInbound(ByteBuffer(string: request))
            _ = try Self.drain(channel)
            for _ in 0 ..< responses {
                let wrote = codec.writeEncodedHead { buffer in
                    buffer.writeHTTP1StatusLine(version: head.version, status: head.status)
                    buffer.writeHTTP1Fields(head.headers)
                    return false
                } && codec.writeDirectly(.body(.byteBuffer(body)), promise: nil)
                #expect(wrote)
                channel.write(HTTPServerResponsePart.end(nil), promise: nil)
            }
            #expect(try Self.written(channel) == expected, "\(request)")
        }
        let removed = try Self.channel(headLimit: 16384)
        let codec = try removed.pipeline.syncOperations.handler(type: HTTP1ServerCodec.self)
        try removed.pipeline.syncOperations.removeHandler(codec).wait()
        #expect(!codec.writeEncodedHead { $0.writeStaticString("HTTP/1.1 200 OK\r\n\r\n"); return false })
        _ = try? removed.finish()
    }

    @Test("on a busy loop a response's bytes wait for the end of the tick, then leave in one write")
    func flushAtTheEndOfTheTick() throws {
        let channel = try Self.channel(headLimit: 16384, busy: true)
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        _ = try Self.drain(channel)
        channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "2"])), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "ok"))), promise: nil)
        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        #expect(try channel.readOutbound(as: IOData.self) == nil)
        channel.embeddedEventLoop.run()
        let written = try #require(try channel.readOutbound(as: IOData.self))
        if case .byteBuffer(let buffer) = written { #expect(String(buffer: buffer) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") }
        #expect(try channel.readOutbound(as: IOData.self) == nil)
        _ = try? channel.finish()
    }

    @Test("after an upgrade request the next bytes wait: a refusal resumes HTTP/1, a 101 hands them on")
    func upgrade() throws {
        let request = "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
        // Refused: the request after it is read once the refusal has been written.
        let refused = try Self.channel(headLimit: 16384)
        try refused.writeInbound(ByteBuffer(string: request + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try Self.drain(refused) == ["head GET /ws HTTP/1.1 [Host: x, Connection: Upgrade, Upgrade: websocket]", "end"])
        // (Not `writeOutbound`: it waits for the write, which completes with the flush — on a
        // busy loop at the end of the tick, which on an embedded loop only the test runs.)
        refused.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .badGateway, headers: ["Content-Length": "0"])), promise: nil)
        refused.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        refused.embeddedEventLoop.run()
        #expect(try Self.drain(refused) == ["head GET /next HTTP/1.1 [Host: x]", "end"])
        _ = try? refused.finish()

        // Granted: once the codec is removed, the bytes held reach the next handler as they are.
        let granted = EmbeddedChannel()
        let codec = HTTP1ServerCodec(headLimit: 16384, flushes: TickFlushesTests.busy(on: granted.embeddedEventLoop))
        try granted.pipeline.syncOperations.addHandler(codec)
        var bytes = ByteBuffer(string: request)
        bytes.writeBytes([0x81, 0x02, 0x68, 0x69])  // a WebSocket frame sent right behind the request
        try granted.writeInbound(bytes)
        #expect(try Self.drain(granted).count == 2)
        granted.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: ["Upgrade": "websocket"])), promise: nil)
        try granted.pipeline.syncOperations.removeHandler(codec).wait()
        let switched = try #require(try granted.readOutbound(as: IOData.self), "the 101 waiting for its flush leaves with the codec")
        if case .byteBuffer(let buffer) = switched { #expect(String(buffer: buffer).hasPrefix("HTTP/1.1 101 Switching Protocols\r\n")) }
        let passed = try #require(try granted.readInbound(as: ByteBuffer.self))
        #expect(Array(passed.readableBytesView) == [0x81, 0x02, 0x68, 0x69])
        _ = try? granted.finish()

        // What waits for the answer is bounded.
        let flooding = try Self.channel(headLimit: 1024)
        try flooding.writeInbound(ByteBuffer(string: request))
        #expect(throws: HTTP1ParseError.tooMuchBeforeUpgrade(limit: 1024)) {
            try flooding.writeInbound(ByteBuffer(repeating: 0x81, count: 2048))
        }
        _ = try? flooding.finish()
    }

    @Test("malformed requests are refused once, and nothing after them is read", arguments: [
        ("GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", HTTP1ParseError.obsoleteLineFolding),
        ("GET /a HTTP/1.1\r\nHost : x\r\n\r\n", .invalidFieldName),
        ("GET /a HTTP/1.1\r\nX-Bad: \u{01}\r\nCookie: aaaa", .invalidFieldValue(name: "X-Bad")),
        ("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", .invalidRequestLine),
        ("GET /a HTTP/2.0\r\nHost: x\r\n\r\n", .invalidRequestLine),
        ("G(T /a HTTP/1.1\r\n", .invalidRequestLine),
        ("GET /\u{7F} HTTP/1.1\r\n", .invalidRequestLine),
        ("POST /a HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n", .framing(.contentLengthWithTransferEncoding)),
        ("POST /a HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n", .framing(.conflictingContentLengths)),
        ("POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", .framing(.unsupportedTransferEncoding("gzip"))),
        ("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
    ])
    func refused(text: String, error: HTTP1ParseError) throws {
        let channel = try Self.channel(headLimit: 16384)
        #expect(throws: error) { try channel.writeInbound(ByteBuffer(string: text)) }
        _ = try Self.drain(channel)
        try channel.writeInbound(ByteBuffer(string: "GET /later HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try Self.drain(channel).allSatisfy { !$0.contains("/later") })
        _ = try? channel.finish()
    }

    @Test("a head over the limit is refused before it ends")
    func headLimit() throws {
        let channel = try Self.channel(headLimit: 1024)
        #expect(throws: HTTP1ParseError.headTooLarge(limit: 1024)) {
            try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nCookie: " + String(repeating: "a", count: 2000)))
        }
        _ = try? channel.finish()
    }

    // MARK: Helpers

    /// Our codec's request parts over `reads`.
    static func parts(_ reads: [[UInt8]]) throws -> [String] {
        let channel = try Self.channel(headLimit: 16384)
        var parts: [String] = []
        for read in reads {
            try channel.writeInbound(ByteBuffer(bytes: read))
            parts += try drain(channel)
        }
        _ = try? channel.finish()
        return joinedBodies(parts)
    }

    static func nioParts(_ bytes: [UInt8]) throws -> [String] {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        let parts = try drain(channel)
        _ = try? channel.finish()
        return joinedBodies(parts)
    }

    /// The request parts that reached the end of `channel`'s pipeline, as text.
    static func drain(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
            func fields(_ headers: HTTPHeaders) -> String { "[" + headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]" }
            switch part {
            case .head(let head): parts.append("head \(head.method.rawValue) \(head.uri) \(head.version) \(fields(head.headers))")
            case .body(let body): parts.append("body " + String(buffer: body))
            case .end(let trailers): parts.append(trailers.map { "end " + fields($0) } ?? "end")
            }
        }
        return parts
    }

    /// Consecutive body parts joined: how a body is split is not its content.
    static func joinedBodies(_ parts: [String]) -> [String] {
        var joined: [String] = []
        for part in parts {
            if part.hasPrefix("body "), let last = joined.last, last.hasPrefix("body ") {
                joined[joined.count - 1] = last + part.dropFirst(5)
            } else {
                joined.append(part)
            }
        }
        return joined
    }

    /// Our codec in a channel of its own; on a `busy` loop its flushes wait for the loop to run.
    static func channel(headLimit: Int, busy: Bool = false) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let loop = channel.embeddedEventLoop
        let flushes = busy ? TickFlushesTests.busy(on: loop) : TickFlushes(eventLoop: loop)
        try channel.pipeline.syncOperations.addHandler(HTTP1ServerCodec(headLimit: headLimit, flushes: flushes))
        return channel
    }

    static func nioWritten(request: String, response: [HTTPServerResponsePart]) throws -> String {
        let channel = EmbeddedChannel()
        var encoder = HTTPResponseEncoder.Configuration()
        encoder.automaticallySetFramingHeaders = false
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false, withEncoderConfiguration: encoder
        )
        return try exchange(channel, request: request, response: response)
    }

    /// The bytes `channel` writes for `response` after reading `request`.
    private static func exchange(_ channel: EmbeddedChannel, request: String, response: [HTTPServerResponsePart]) throws -> String {
        try channel.writeInbound(ByteBuffer(string: request))
        _ = try drain(channel)
        for part in response { channel.write(part, promise: nil) }
        return try written(channel)
    }

    /// What `channel` writes once flushed, as text; the channel is finished.
    private static func written(_ channel: EmbeddedChannel) throws -> String {
        channel.flush()
        channel.embeddedEventLoop.run()  // the end of the tick, where our codec's flush may wait
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { text += String(buffer: buffer) }
        }
        _ = try? channel.finish()
        return text
    }
}
