import GatehouseCore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// Gatehouse's writer of upstream requests must put the same bytes on the wire as NIO's
/// `HTTPRequestEncoder`, which it replaced on upstream connections.
@Suite("Upstream request encoder")
struct UpstreamRequestEncoderTests {
    /// Requests as (method, fields, body parts).
    static let requests: [(HTTPMethod, [(String, String)], [String])] = [
        (.GET, [("Host", "api.example"), ("Accept", "*/*")], []),
        (.POST, [("Host", "api.example"), ("Content-Type", "application/json")], ["{\"a\":", "1}"]),
        (.POST, [("Host", "api.example"), ("Content-Length", "7"), ("Transfer-Encoding", "chunked")], ["{\"a\":1}"]),
        (.PUT, [("Host", "api.example"), ("Content-Length", "0")], []),
        (.PATCH, [("Host", "api.example")], [String(repeating: "x", count: 3000), "y"]),
        (.DELETE, [("Host", "api.example"), ("Transfer-Encoding", "chunked")], ["gone"]),
        (.TRACE, [("Host", "api.example"), ("Content-Length", "4"), ("Transfer-Encoding", "chunked")], []),
        (.GET, [("Host", "api.example"), ("Content-Length", "3")], ["abc"]),
        (.HEAD, [("Host", "api.example")], []),
    ]

    @Test("writes each request as NIO's encoder does, byte for byte")
    func agreesWithNIO() throws {
        for (method, fields, body) in Self.requests {
            let head = HTTPRequestHead(version: .http1_1, method: method, uri: "/api/v1/weddings?x=1", headers: HTTPHeaders(fields))
            let ours = Self.encode(head, body: body)
            let nio = try Self.nioEncode(head, body: body)
            #expect(ours == nio, "\(method) \(fields): \(ours) ≠ NIO's \(nio)")
        }
    }

    @Test("a rewrite is written as the fields it makes would be: removals, additions and framing alike")
    func rewritten() throws {
        var rewrite = FieldRewrite()
        rewrite.remove(["content-length", "x-drop"])
        rewrite.replace("Host", with: "upstream.internal")
        rewrite.add("X-Request-ID", "r1")
        for (method, fields, body) in Self.requests {
            let original = ReceivedFields(fields + [("X-Drop", "1")])
            let applied = HTTPRequestHead(version: .http1_1, method: method, uri: "/v1", headers: rewrite.applied(to: original))
            let ours = Self.encode(method: method, uri: "/v1", fields: RewrittenFields(original: original, rewrite: rewrite), body: body)
            #expect(ours == Self.encode(applied, body: body), "\(method) \(fields)")
            #expect(ours == (try Self.nioEncode(applied, body: body)), "\(method) \(fields)")
            #expect(!ours.contains("X-Drop") && ours.contains("Host: upstream.internal\r\n") && !ours.contains("api.example"))
        }
        var chunkedAdded = FieldRewrite()
        chunkedAdded.add("Transfer-Encoding", "chunked")
        let get = Self.encode(method: .GET, uri: "/v1", fields: RewrittenFields(original: ReceivedFields([("Host", "a")]), rewrite: chunkedAdded), body: ["abc"])
        #expect(get == "GET /v1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
    }

    @Test("a trace context is written after the fields, before the framing the encoder adds")
    func traceField() throws {
        var random = SplitMix64(seed: 3)
        let trace = TraceContext.forward([:], random: &random).context
        var encoder = UpstreamRequestEncoder()
        var buffer = ByteBuffer()
        encoder.writeHead(method: .POST, uri: "/v1", fields: RewrittenFields(ReceivedFields([("Host", "a")])), trace: trace, into: &buffer)
        #expect(String(buffer: buffer) == "POST /v1 HTTP/1.1\r\nHost: a\r\ntraceparent: \(trace.header)\r\ntransfer-encoding: chunked\r\n\r\n")
    }

    static func encode(_ head: HTTPRequestHead, body: [String]) -> String {
        encode(method: head.method, uri: head.uri, fields: RewrittenFields(ReceivedFields(head.headers)), body: body)
    }

    static func encode(method: HTTPMethod, uri: String, fields: borrowing RewrittenFields, body: [String]) -> String {
        var encoder = UpstreamRequestEncoder()
        var gatherer = WriteGatherer(), out = ByteBuffer()
        _ = gatherer.append(using: ByteBufferAllocator()) { encoder.writeHead(method: method, uri: uri, fields: fields, into: &$0) }
        for part in body {
            // Written through the gatherer, as the upstream handler writes them (parts over 1 KiB pass by).
            gatherer.appendBody(.byteBuffer(ByteBuffer(string: part)), chunked: encoder.chunksBody, using: ByteBufferAllocator()) {
                if case .byteBuffer(var written) = $0 { out.writeBuffer(&written) }
            }
        }
        _ = gatherer.append(using: ByteBufferAllocator()) { encoder.writeEnd(into: &$0) }
        if var rest = gatherer.take() { out.writeBuffer(&rest) }
        return String(buffer: out)
    }

    static func nioEncode(_ head: HTTPRequestHead, body: [String]) throws -> String {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPRequestEncoder())
        try channel.writeOutbound(HTTPClientRequestPart.head(head))
        for part in body { try channel.writeOutbound(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: part)))) }
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { text += String(buffer: buffer) }
        }
        _ = try channel.finish()
        return text
    }
}
