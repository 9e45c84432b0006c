import Foundation
import GatehouseTesting
import Testing

@Suite("proxy: routing and headers", .serialized)
struct ProxyRoutingTests {
    @Test("path parameters are substituted into the upstream path; the query is passed on")
    func parameters() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let wedding = try await TestHTTP.request("GET", "/api/weddings/w2", port: fixture.port)
        #expect(wedding.status == 200)
        #expect(try wedding.json()["couple"] as? String == "Alan & Joan")
        let echo = try await TestHTTP.request("GET", "/api/echo/a/b?x=1&y=2", port: fixture.port)
        let body = try echo.json()
        #expect(body["path"] as? String == "/echo/a/b")
        #expect(body["query"] as? [String: String] == ["x": "1", "y": "2"])
    }

    @Test("a higher route_priority wins over a more generic match; disabled routes do not exist")
    func priority() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let featured = try await TestHTTP.request("GET", "/api/vendors/featured", port: fixture.port)
        #expect(try featured.json()["path"] as? String == "/echo/featured")
        let vendor = try await TestHTTP.request("GET", "/api/vendors/v2", port: fixture.port)
        #expect(try vendor.json()["name"] as? String == "Lens of Love")
        let hidden = try await TestHTTP.request("GET", "/api/hidden", port: fixture.port)
        #expect(hidden.status == 404)
    }

    @Test("no route → 404 and wrong method → 405 with Allow, both with the spec's JSON error and request id")
    func notFoundAndMethodNotAllowed() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let missing = try await TestHTTP.request("GET", "/api/nothing-here", port: fixture.port)
        #expect(missing.status == 404)
        let missingBody = try missing.json()
        #expect(missingBody["code"] as? String == "route_not_found")
        #expect((missingBody["error"] as? String)?.contains("/api/nothing-here") == true)
        #expect(missingBody["request_id"] as? String == missing.header("X-Request-ID"))
        #expect(missingBody["timestamp"] is String)
        #expect(missing.header("X-Gateway") == "wedsync-api-gateway")

        let wrongMethod = try await TestHTTP.request("DELETE", "/api/weddings/w1", port: fixture.port)
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, PUT")
        #expect(try wrongMethod.json()["code"] as? String == "method_not_allowed")
    }

    @Test("X-Request-ID: a valid incoming id is kept end to end, an invalid one replaced")
    func requestIDs() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let kept = try await TestHTTP.request("GET", "/api/echo/id", port: fixture.port, headers: [("X-Request-ID", "rsvp-42.retry:1")])
        #expect(kept.header("X-Request-ID") == "rsvp-42.retry:1")
        #expect((try kept.json()["headers"] as? [String: [String]])?["x-request-id"] == ["rsvp-42.retry:1"])
        let replaced = try await TestHTTP.request("GET", "/api/echo/id", port: fixture.port, headers: [("X-Request-ID", "bad id with spaces")])
        let generated = try #require(replaced.header("X-Request-ID"))
        #expect(generated != "bad id with spaces" && generated.count == 36)
    }

    @Test("the upstream gets X-Forwarded-*, Via and its own Host, never hop-by-hop fields; the client gets X-Gateway and X-Backend-Service")
    func forwardingHeaders() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let response = try await TestHTTP.request("GET", "/api/echo/headers", port: fixture.port, headers: [
            ("Host", "api.wedsync.example"), ("Connection", "keep-alive, X-Hop-Secret"), ("X-Hop-Secret", "1"), ("Keep-Alive", "timeout=5"),
            ("TE", "trailers"), ("X-Forwarded-For", "6.6.6.6"), ("X-Custom", "kept"),
        ])
        #expect(response.status == 200)
        let headers = try #require(try response.json()["headers"] as? [String: [String]])
        #expect(headers["x-forwarded-for"] == ["127.0.0.1"], "an untrusted client's X-Forwarded-For is replaced")
        #expect(headers["x-forwarded-proto"] == ["http"])
        #expect(headers["x-forwarded-host"] == ["api.wedsync.example"])
        #expect(headers["via"] == ["1.1 gatehouse"])
        #expect(headers["host"] == ["127.0.0.1:\(fixture.upstreams[0].port)"])
        #expect(headers["x-custom"] == ["kept"])
        for hopByHop in ["x-hop-secret", "keep-alive", "te"] { #expect(headers[hopByHop] == nil, "\(hopByHop) must not be forwarded") }
        #expect(response.header("X-Gateway") == "wedsync-api-gateway")
        #expect(response.header("X-Backend-Service") == "demo")
        #expect(response.header("Via") == "1.1 gatehouse")
        #expect(response.header("X-Upstream-Instance") == "127.0.0.1:\(fixture.upstreams[0].port)")
    }

    @Test("Expect: 100-continue is answered by the gateway once the request is routed; unroutable requests get their error instead")
    func expectContinue() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let socket = try BlockingSocket(port: fixture.port)
        try socket.send("POST /api/echo/expect HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = String(decoding: socket.receive { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }, as: UTF8.self)
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue"))
        try socket.send("hello")
        let final = String(decoding: socket.receive { String(decoding: $0, as: UTF8.self).contains("\"instance\"") }, as: UTF8.self)
        #expect(final.hasPrefix("HTTP/1.1 200") && final.contains("\"body_bytes\":5"))
        #expect(!final.contains("\"expect\":"), "the upstream never saw Expect")

        let refused = try BlockingSocket(port: fixture.port)
        try refused.send("POST /api/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\nhello")
        let answer = String(decoding: refused.receive { _ in false }, as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 404"), "no 100 Continue for a request that will not be served")
    }

    @Test("a route added by `gatehouse config apply` in another process is served without a restart")
    func liveConfigChange() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        #expect(try await TestHTTP.request("GET", "/api/brand-new", port: fixture.port).status == 404)
        let yaml = try String(contentsOfFile: fixture.gateway.data + ".yaml", encoding: .utf8)
            + "\n      - { route_path: \"/api/brand-new\", route_method: GET, service: demo, upstream_path: \"/echo/new\" }\n"
        let file = fixture.directory.appending("changed.yaml")
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try runProcess(BuiltProducts.path(of: "gatehouse"), ["config", "apply", file, "--data", fixture.gateway.data])
        #expect(applied.status == 0, "\(applied.standardError)")
        var status = 0
        for _ in 0 ..< 100 where status != 200 {  // the gateway follows the log every 500 ms
            try await Task.sleep(for: .milliseconds(50))
            status = try await TestHTTP.request("GET", "/api/brand-new", port: fixture.port).status
        }
        #expect(status == 200)
    }

    @Test("pipelined requests are answered in order, including a gateway error between them")
    func pipelining() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let requests = [
            "GET /api/echo/first?delay_ms=200 HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /api/echo/second HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
            "GET /api/nowhere HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/weddings/w1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ]
        let answer = try await TestHTTP.raw(requests.joined(), port: fixture.port)
        let statuses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
        #expect(statuses == ["200", "200", "404", "200"], "\(answer)")
        let first = try #require(answer.range(of: "echo\\/first")), second = try #require(answer.range(of: "echo\\/second"))
        #expect(first.lowerBound < second.lowerBound, "answers keep the order of the requests")
        #expect(answer.contains("\"body_bytes\":3") && answer.contains("Ada & Grace"))
    }

    @Test("request bodies reach the upstream, fixed-length and chunked")
    func requestBodies() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let body = Data(repeating: UInt8(ascii: "r"), count: 100_000)
        let fixed = try await TestHTTP.request("POST", "/api/echo/upload", port: fixture.port, body: body)
        #expect(try fixed.json()["body_bytes"] as? Int == 100_000)
        let chunked = try await TestHTTP.raw(
            "POST /api/echo/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
            port: fixture.port
        )
        #expect(chunked.hasPrefix("HTTP/1.1 200"))
        #expect(chunked.contains("\"body_bytes\":11"))
    }
}

@Suite("proxy: several gateways", .serialized)
struct ProxyGatewaySelectionTests {
    @Test("each gateway is selected by its base_url host and path prefix; unknown hosts go to the default gateway")
    func byHostAndPrefix() async throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-gateways")
        defer { directory.remove() }
        let upstream = try DemoUpstream.start()
        defer { upstream.process.terminate() }
        let yaml = """
        gateways:
          - name: public-api
            base_url: https://api.wedsync.example
            is_default: true
            services: [{ service_name: demo, service_url: "\(upstream.url)" }]
            routes: [{ route_path: "/v1/*", route_method: ANY, service: demo, upstream_path: "/echo/public/*" }]
          - name: partner-api
            base_url: https://partners.wedsync.example/vendors
            services: [{ service_name: demo, service_url: "\(upstream.url)" }]
            routes: [{ route_path: "/v1/*", route_method: ANY, service: demo, upstream_path: "/echo/partner/*" }]
        """
        let gateway = try GatewayUnderTest.start(configuration: yaml, data: directory.appending("data"))
        defer { gateway.stop() }
        let partner = try await TestHTTP.request("GET", "/vendors/v1/list", port: gateway.port, headers: [("Host", "partners.wedsync.example")])
        #expect(partner.header("X-Gateway") == "partner-api")
        #expect(try partner.json()["path"] as? String == "/echo/partner/list", "the prefix is not part of the route path")
        let publicAPI = try await TestHTTP.request("GET", "/v1/list", port: gateway.port, headers: [("Host", "api.wedsync.example")])
        #expect(publicAPI.header("X-Gateway") == "public-api")
        #expect(try publicAPI.json()["path"] as? String == "/echo/public/list")
        let unknownHost = try await TestHTTP.request("GET", "/v1/list", port: gateway.port, headers: [("Host", "elsewhere.example")])
        #expect(unknownHost.header("X-Gateway") == "public-api")
        let outsidePrefix = try await TestHTTP.request("GET", "/other/v1/list", port: gateway.port, headers: [("Host", "partners.wedsync.example")])
        #expect(outsidePrefix.header("X-Gateway") == "public-api", "outside the partner prefix, the default gateway answers")
        #expect(outsidePrefix.status == 404)
    }
}

extension ProxyRoutingTests {
    @Test("W3C trace context: a caller's trace is continued with the gateway's span and its tracestate kept; otherwise a trace starts")
    func traceContext() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        func forwarded(_ headers: [(String, String)]) async throws -> [String: [String]] {
            try await TestHTTP.request("GET", "/api/echo/trace", port: fixture.port, headers: headers).json()["headers"] as? [String: [String]] ?? [:]
        }
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let continued = try await forwarded([("traceparent", incoming), ("tracestate", "vendor=abc")])
        let parent = try #require(continued["traceparent"]?.first)
        #expect(parent.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") && parent.hasSuffix("-01") && parent != incoming)
        #expect(continued["tracestate"] == ["vendor=abc"])
        let started = try #require(try await forwarded([])["traceparent"]?.first)
        #expect(started.split(separator: "-").map(\.count) == [2, 32, 16, 2])
        let malformed = try await forwarded([("traceparent", "00-nothex"), ("tracestate", "vendor=abc")])
        #expect(malformed["traceparent"]?.first?.split(separator: "-").count == 4 && malformed["tracestate"] == nil)
    }
}

extension ProxyRoutingTests {
    @Test("--access-log writes one JSON line per request with the request id, trace id, route, upstream, status and decision")
    func accessLog() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, serveArguments: { ["--access-log", $0.appending("access.log")] })
        defer { fixture.tearDown() }
        let traced = try await TestHTTP.request(
            "GET", "/api/echo/logged?secret=x", port: fixture.port,
            headers: [("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), ("X-Request-ID", "req-access-1")]
        )
        #expect(traced.status == 200)
        _ = try await TestHTTP.request("GET", "/api/nowhere", port: fixture.port)
        fixture.stop()
        let text = try String(contentsOfFile: fixture.directory.appending("access.log"), encoding: .utf8)
        let lines = try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(lines.count == 2)
        let first = try #require(lines.first { $0["request_id"] as? String == "req-access-1" })
        #expect(first["message"] as? String == "access" && first["level"] as? String == "info")
        #expect(first["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(first["route"] as? String == "/api/echo/*" && first["status"] as? Int == 200 && first["decision"] as? String == "proxied")
        #expect((first["upstream"] as? String)?.hasPrefix("http://127.0.0.1:") == true && first["path"] as? String == "/api/echo/logged")
        #expect(first["duration_ms"] is Double || first["duration_ms"] is Int)
        let missing = try #require(lines.first { $0["status"] as? Int == 404 })
        #expect(missing["decision"] as? String == "no_route" && missing["route"] == nil)
    }
}

extension ProxyRoutingTests {
    @Test("--geo-table: the client's country and city are recorded, and geo_based balancing uses its coordinates")
    func geoTable() async throws {
        let london = "metadata: { latitude: 51.5, longitude: -0.12 }"
        let newYork = "metadata: { latitude: 40.7, longitude: -74.0 }"
        let fixture = try ProxyFixture.start(upstreams: 2, strategy: "geo_based", instanceFields: [london, newYork], serveArguments: { directory in
            let table = directory.appending("geo.csv")
            try "network,country_iso_code,city_name,latitude,longitude\n10.1.0.0/16,GB,London,51.5,-0.12\n10.2.0.0/16,US,New York,40.7,-74.0\n"
                .write(toFile: table, atomically: true, encoding: .utf8)
            return ["--geo-table", table, "--trusted-proxy", "127.0.0.1/32"]
        })
        defer { fixture.tearDown() }
        let fromLondon = try await TestHTTP.request("GET", "/api/echo/geo", port: fixture.port, headers: [("X-Forwarded-For", "10.1.2.3")])
        let fromNewYork = try await TestHTTP.request("GET", "/api/echo/geo", port: fixture.port, headers: [("X-Forwarded-For", "10.2.3.4")])
        #expect(fromLondon.header("X-Upstream-Instance") == "127.0.0.1:\(fixture.upstreams[0].port)")
        #expect(fromNewYork.header("X-Upstream-Instance") == "127.0.0.1:\(fixture.upstreams[1].port)")
        _ = try await TestHTTP.request("GET", "/api/echo/geo", port: fixture.port, headers: [("X-Forwarded-For", "10.9.9.9"), ("CloudFront-Viewer-Country", "FR")])
        fixture.stop()
        let places = try fixture.outcomes().map { [$0.country ?? "-", $0.city ?? "-"] }
        #expect(places == [["GB", "London"], ["US", "New York"], ["FR", "-"]])
    }
}
