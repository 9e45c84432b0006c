import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

@Suite("proxy: streaming, framing defences, outcomes", .serialized)
struct ProxyStreamingTests {
    @Test("Server-Sent Events reach the client while the upstream stream is still open")
    func serverSentEvents() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        // count=0: the upstream never ends this stream, so events can only arrive unbuffered.
        let received = try await TestHTTP.raw(
            "GET /api/live/events?count=0&interval_ms=50 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n", port: fixture.port,
            timeout: 20, until: { $0.contains("id: 3\n") }
        )
        #expect(received.hasPrefix("HTTP/1.1 200 OK"))
        #expect(received.lowercased().contains("content-type: text/event-stream"))
        #expect(received.lowercased().contains("transfer-encoding: chunked"))
        #expect(received.contains("id: 1\nevent: update\n") && received.contains("id: 3\n"))
    }

    @Test("a 256 MB download streams through in bounded memory")
    func largeDownload() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let size = 256 * 1024 * 1024
        let response = try await TestHTTP.request("GET", "/api/bytes/\(size)", port: fixture.port, keepBody: false)
        #expect(response.status == 200)
        #expect(response.bodyBytes == size)
        let peak = try #require(fixture.gateway.process.peakResidentBytes)
        #expect(peak < 100 * 1024 * 1024, "peak RSS \(peak / 1024 / 1024) MB while relaying \(size / 1024 / 1024) MB")
    }

    @Test("a 96 MB upload streams through to the upstream in bounded memory")
    func largeUpload() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, serveArguments: { _ in ["--max-body-bytes", "200000000"] })
        defer { fixture.tearDown() }
        let size = 96 * 1024 * 1024
        let response = try await TestHTTP.request("POST", "/api/echo/upload", port: fixture.port, body: Data(count: size))
        #expect(response.status == 200)
        #expect(try response.json()["body_bytes"] as? Int == size)
        let peak = try #require(fixture.gateway.process.peakResidentBytes)
        #expect(peak < 80 * 1024 * 1024, "peak RSS \(peak / 1024 / 1024) MB while relaying \(size / 1024 / 1024) MB")
    }

    @Test("a client that stops reading is disconnected after timeout_config.write, and the outcome says why")
    func stalledClient() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, gatewayFields: ["timeout_config: { connect: 5000, read: 30000, write: 300 }"])
        let socket = try BlockingSocket(port: fixture.port)
        let size = 1024 * 1024 * 1024
        try socket.send("GET /api/bytes/\(size) HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .seconds(3))  // read nothing for ten times the write timeout
        let received = socket.receive { _ in false }  // drains what the kernel buffered, then sees the close
        #expect(received.count < size / 4, "the gateway gave up long before the gigabyte (\(received.count) bytes)")
        fixture.stop()
        defer { fixture.directory.remove() }
        let outcome = try #require(try fixture.outcomes().first)
        #expect(outcome.errorMessage == "the client stopped reading for 300 ms")
        #expect(outcome.responseBytes < Int64(size))
    }

    @Test("an upstream that stops taking the request body fails the attempt with 504 after timeout_config.write")
    func stalledUpstream() async throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-stall")
        defer { directory.remove() }
        let silent = try SilentUpstream()
        defer { silent.close() }
        let yaml = """
        gateways:
          - name: wedsync-api-gateway
            base_url: http://localhost:8080
            is_default: true
            timeout_config: { connect: 5000, read: 30000, write: 300 }
            services: [{ service_name: silent, service_url: "http://127.0.0.1:\(silent.port)", retry_attempts: 0 }]
            routes: [{ route_path: "/upload", route_method: POST, service: silent }]
        """
        let gateway = try GatewayUnderTest.start(configuration: yaml, data: directory.appending("data"))
        defer { gateway.stop() }
        let response = try await TestHTTP.request("POST", "/upload", port: gateway.port, body: Data(count: 8 * 1024 * 1024))
        #expect(response.status == 504)
        #expect(try response.json()["code"] as? String == "upstream_timeout")
        #expect((try response.json()["error"] as? String)?.contains("did not accept the request body within 300 ms") == true)
    }

    @Test("a body over the limit → 413 and the connection closes")
    func bodyTooLarge() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let declared = try await TestHTTP.raw(
            "POST /api/echo/big HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\npartial", port: fixture.port
        )
        #expect(declared.hasPrefix("HTTP/1.1 413"))
        #expect(declared.contains("\"code\":\"body_too_large\""))
        #expect(declared.lowercased().contains("connection: close"))
    }

    @Test("header fields over the limit → 431 and the connection closes; under it, served")
    func headersTooLarge() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, serveArguments: { _ in ["--max-header-bytes", "8192"] })
        defer { fixture.tearDown() }
        let big = try await TestHTTP.raw(
            "GET /api/echo/h HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "a", count: 9000))\r\n\r\n", port: fixture.port
        )
        #expect(big.hasPrefix("HTTP/1.1 431"))
        #expect(big.contains("\"code\":\"headers_too_large\""))
        #expect(big.lowercased().contains("connection: close"))
        let small = try await TestHTTP.request("GET", "/api/echo/h", port: fixture.port, headers: [("X-Padding", String(repeating: "a", count: 7000))])
        #expect(small.status == 200)
    }

    @Test(
        "ambiguous framing is refused with 400 and the connection closed, never forwarded",
        arguments: [
            "POST /api/echo/s HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/echo/smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /api/echo/s HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
            "POST /api/echo/s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
            "POST /api/echo/s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            "GET /api/echo/s HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
            "GET /api/echo/../admin HTTP/1.1\r\nHost: x\r\n\r\n",
        ]
    )
    func smuggling(request: String) async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let answer = try await TestHTTP.raw(request, port: fixture.port)
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
        #expect(answer.contains("\"code\":\"bad_request\"") && answer.contains("X-Request-ID: "), "the spec's JSON error: \(answer)")
        #expect(answer.lowercased().contains("connection: close"))
        #expect(!answer.contains("/echo/smuggled") && !answer.contains("\"instance\""), "nothing reached the upstream")
    }

    @Test("a refused request whose client is still sending gets its answer: the gateway shuts its side and drains the rest")
    func lingeringClose() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        // The control byte is refused at once, while the rest of the request is still arriving:
        // sent whole by a blocking socket, so the client is still writing when the answer comes.
        for padding in [5_000, 300_000] {
            let socket = try BlockingSocket(port: fixture.port)
            try socket.send("PUT /api/echo/s HTTP/1.1\r\nHost: x\r\nX-Bad: \u{01}\r\nCookie: \(String(repeating: "a", count: padding))\r\n\r\n")
            let refused = String(decoding: socket.receive { _ in false }, as: UTF8.self)
            #expect(refused.hasPrefix("HTTP/1.1 400"), "\(refused.prefix(200))")
            #expect(refused.contains("\"code\":\"bad_request\""))
        }
        let socket = try BlockingSocket(port: fixture.port)
        try socket.send("POST /api/echo/big HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n\(String(repeating: "b", count: 300_000))")
        let tooLarge = String(decoding: socket.receive { _ in false }, as: UTF8.self)
        #expect(tooLarge.hasPrefix("HTTP/1.1 413"), "\(tooLarge.prefix(200))")
    }

    @Test("every request — proxied, refused, failed — becomes exactly one outcome with its route, instance and timings")
    func oneOutcomePerRequest() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        var requestIDs: [String] = []
        for target in ["/api/weddings/w1", "/api/echo/a?token=secret&page=2", "/api/nowhere", "/api/weddings/w1"] {
            let method = target == "/api/nowhere" ? "GET" : (requestIDs.count == 3 ? "DELETE" : "GET")
            let response = try await TestHTTP.request(method, target, port: fixture.port, headers: [("User-Agent", "wedsync-ios/5.1")])
            requestIDs.append(try #require(response.header("X-Request-ID")))
        }
        _ = try await TestHTTP.raw("GET /api/echo/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", port: fixture.port)
        fixture.stop()
        defer { fixture.directory.remove() }
        let outcomes = try fixture.outcomes()
        #expect(outcomes.count == 5)
        #expect(Array(outcomes.prefix(4).map(\.requestID)) == requestIDs)
        #expect(outcomes.map(\.status) == [200, 200, 404, 405, 400])
        #expect(outcomes.map(\.decision) == [.proxied, .proxied, .noRoute, .methodNotAllowed, .badRequest])
        let proxied = outcomes[0]
        #expect(proxied.routeID != nil && proxied.backendServiceID != nil && proxied.gatewayID != nil)
        #expect(proxied.path == "/api/weddings/w1" && proxied.method == "GET")
        #expect(proxied.backendMicros != nil && proxied.totalMicros >= proxied.backendMicros!)
        #expect(proxied.responseBytes > 0)
        #expect(proxied.userAgent == "wedsync-ios/5.1")
        #expect(proxied.clientIP?.description == "127.0.0.1")
        #expect(outcomes[1].query == "token=REDACTED&page=2", "secrets never reach the log")
        #expect(outcomes[2].routeID == nil && outcomes[2].backendMicros == nil)
    }
}
