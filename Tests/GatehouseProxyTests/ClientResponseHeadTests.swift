import GatehouseCore
import NIOCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// The client's response head written straight from an upstream head's bytes against the one
/// built as NIO's head and encoded: the same bytes, framing and connection decision in every
/// situation.
@Suite("Client response head")
struct ClientResponseHeadTests {
    static let upstreamHeads = [
        "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\nVia: 1.1 a, 1.0 b\r\n"
            + "X-Frame-Options: SAMEORIGIN\r\nX-Request-ID: forged\r\nX-RateLimit-Limit: 9\r\nAccess-Control-Allow-Origin: *\r\nDeprecation: @1\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nX-A:  spaced \t\r\nKeep-Alive: timeout=5\r\n\r\n",
        "HTTP/1.1 299 Custom Reason\r\nContent-Length: 0\r\nX-Gateway: upstream's\r\n\r\n",
        "HTTP/1.0 200 OK\nServer: old\nX-Obs-Text: caf\u{E9}\n\n",
        "HTTP/1.1 404 \r\nContent-Length: 1, 1\r\n\r\n",
        // Runs of lines copied as they came, broken by a dropped field and by lines in another form.
        "HTTP/1.1 200 OK\r\nA: 1\r\nB:2\r\nC: 3\r\nD: 4\r\nConnection: close\r\nE: 5 \r\nF: 6\nG: \r\nContent-Length: 0\r\n\r\n",
    ]

    /// A client's request and what the pipeline set on its exchange before the response.
    struct Situation: CustomStringConvertible, Sendable {
        let description: String
        var method = HTTPMethod.GET
        var version = HTTPVersion.http1_1
        var keepAlive = true
        var draining = false
        var gatewayFields = false
        var tls = false
    }

    static let situations = [
        Situation(description: "GET over HTTP/1.1"),
        Situation(description: "HEAD", method: .HEAD),
        Situation(description: "HTTP/1.0", version: .http1_0, keepAlive: false),
        Situation(description: "HTTP/1.0 kept alive", version: .http1_0),
        Situation(description: "closing", keepAlive: false),
        Situation(description: "draining", draining: true),
        Situation(description: "limits, versions, CORS, TLS", gatewayFields: true, tls: true),
    ]

    @Test("written from the bytes as built and encoded", arguments: situations)
    func sameAsBuilt(situation: Situation) throws {
        for text in Self.upstreamHeads {
            let head = try Self.parsed(text, method: situation.method)
            let relayed = Self.exchange(situation), built = Self.exchange(situation)
            var written = ByteBuffer()
            let chunked = ClientResponseHead.write(
                from: head, hopByHop: HopByHopHeaders.present(in: head), for: relayed, gatewayName: "wedsync-api-gateway",
                draining: situation.draining, into: &written
            )
            let made = ClientResponseHead.make(from: head.nioHead, for: built, gatewayName: "wedsync-api-gateway", draining: situation.draining)
            var encoder = ClientResponseEncoder()
            encoder.requestRead(situation.method)
            var encoded = ByteBuffer()
            encoder.writeHead(made, into: &encoded)
            #expect(String(buffer: written) == String(buffer: encoded), "\(text.debugDescription)")
            #expect((chunked && situation.method != .HEAD) == encoder.chunksBody, "\(text.debugDescription)")
            #expect(relayed.closeAfterResponse == built.closeAfterResponse, "\(text.debugDescription)")
        }
    }

    @Test("hop-by-hop and forged gateway fields go, the gateway's come after the upstream's, framing last")
    func fields() throws {
        var situation = Self.situations[0]
        situation.gatewayFields = true
        let exchange = Self.exchange(situation)
        var written = ByteBuffer()
        let head = try Self.parsed(Self.upstreamHeads[1], method: .GET)
        let chunked = ClientResponseHead.write(
            from: head, hopByHop: HopByHopHeaders.present(in: head), for: exchange, gatewayName: "wedsync-api-gateway", draining: false, into: &written
        )
        #expect(chunked)
        #expect(String(buffer: written) == """
            HTTP/1.1 200 OK\r
            X-Frame-Options: SAMEORIGIN\r
            X-Request-ID: r1\r
            X-Gateway: wedsync-api-gateway\r
            X-Backend-Service: rsvp-service\r
            RateLimit-Policy: "basic-minute";q=100;w=60\r
            RateLimit: "basic-minute";r=99;t=60\r
            X-RateLimit-Limit: 100\r
            X-RateLimit-Remaining: 99\r
            X-RateLimit-Reset: 60\r
            Deprecation: @1700000000\r
            Access-Control-Allow-Origin: https://wedsync.example\r
            Link: <https://docs.example/v2>; rel="deprecation"\r
            X-Content-Type-Options: nosniff\r
            Referrer-Policy: strict-origin-when-cross-origin\r
            Via: 1.1 a, 1.0 b, 1.1 gatehouse\r
            Transfer-Encoding: chunked\r
            \r

            """)
    }

    @Test("the upstream's reason phrase is kept for a code NIO does not name, its own for one it does")
    func reasonPhrases() throws {
        #expect(try Self.parsed(Self.upstreamHeads[3], method: .GET).status == .custom(code: 299, reasonPhrase: "Custom Reason"))
        #expect(try Self.parsed("HTTP/1.1 200 Fine\r\nContent-Length: 0\r\n\r\n", method: .GET).status == .ok)
        #expect(try Self.parsed(Self.upstreamHeads[5], method: .GET).contentLength == 1)
    }

    // MARK: Helpers

    static func parsed(_ text: String, method: HTTPMethod) throws -> UpstreamResponseHead {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: method == .HEAD)
        var buffer = ByteBuffer(string: text)
        guard case .head(let head)? = try parser.next(from: &buffer) else { throw ParseFailed() }
        return head
    }

    struct ParseFailed: Error {}

    static func exchange(_ situation: Situation) -> Exchange {
        let exchange = Exchange(
            head: ClientRequestHead(method: situation.method, uri: "/api/v1/rsvps", version: situation.version, headers: [:]), requestID: "r1",
            startTime: Timestamp(microseconds: 1)
        )
        exchange.keepAlive = situation.keepAlive
        exchange.service = "rsvp-service"
        exchange.isTLS = situation.tls
        if situation.gatewayFields {
            let rule = LimitRule(id: "minute", policyName: "basic", windowName: "minute", kind: .window(seconds: 60, limit: 100, rolling: false), enforced: true, blockSeconds: 0)
            let plan = LimitPlan(rules: [rule])
            exchange.keep(limits: RateLimiter().check(plan.rules, caller: .address(nil), now: 0))
            exchange.limitPlan = plan
            exchange.versionFields = [("Deprecation", "@1700000000"), ("Link", "<https://docs.example/v2>; rel=\"deprecation\"")]
            exchange.corsFields = [("Access-Control-Allow-Origin", "https://wedsync.example")]
        }
        return exchange
    }
}
