import Foundation
import GatehouseTesting
import Testing

@Suite("proxy: TLS listener, HTTP/2 and h2c", .serialized)
struct ProxyTLSTests {
    /// A self-signed certificate for 127.0.0.1 made with openssl; returns the serve arguments.
    private static func tlsArguments(_ directory: TemporaryDirectory) throws -> [String] {
        let (certificate, key) = try makeCertificate(in: directory, name: "gateway")
        return ["--tls-port", "0", "--tls-certificate", certificate, "--tls-key", key]
    }

    /// Writes NAME-cert.pem and NAME-key.pem (self-signed, for IP 127.0.0.1, or for `dnsName`) into `directory`.
    private static func makeCertificate(in directory: TemporaryDirectory, name: String, dnsName: String? = nil) throws -> (certificate: String, key: String) {
        let certificate = directory.appending("\(name)-cert.pem")
        let key = directory.appending("\(name)-key.pem")
        let made = try runProcess("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=\(dnsName ?? "127.0.0.1")", "-addext", dnsName.map { "subjectAltName=DNS:\($0)" } ?? "subjectAltName=IP:127.0.0.1",
            "-keyout", key, "-out", certificate,
        ])
        guard made.status == 0 else { throw TestHTTPError(message: "openssl failed: \(made.standardError)") }
        return (certificate, key)
    }

    /// `curl` over TLS; returns the body followed by a last line "HTTP_VERSION STATUS".
    private func curl(_ arguments: [String], _ url: String) throws -> (body: String, version: String, status: String) {
        let result = try runProcess("/usr/bin/curl", ["-sk", "-w", "\n%{http_version} %{http_code}"] + arguments + [url])
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        let last = lines.last.map(String.init)?.split(separator: " ") ?? []
        return (lines.dropLast().joined(separator: "\n"), last.first.map(String.init) ?? "", last.last.map(String.init) ?? "")
    }

    @Test("HTTP/2 over TLS (ALPN h2) reaches the upstream as HTTP/1.1 with X-Forwarded-Proto: https; HTTP/1.1 over TLS too")
    func http2() throws {
        let fixture = try ProxyFixture.start(upstreams: 1, serveArguments: Self.tlsArguments)
        defer { fixture.tearDown() }
        let port = try #require(fixture.gateway.tlsPort)
        let h2 = try curl(["--http2"], "https://127.0.0.1:\(port)/api/echo/secure?x=1")
        #expect(h2.version == "2" && h2.status == "200")
        let echoed = try #require(try JSONSerialization.jsonObject(with: Data(h2.body.utf8)) as? [String: Any])
        #expect(echoed["path"] as? String == "/echo/secure")
        #expect((echoed["headers"] as? [String: [String]])?["x-forwarded-proto"] == ["https"])

        let notFound = try curl(["--http2"], "https://127.0.0.1:\(port)/api/none")
        #expect(notFound.version == "2" && notFound.status == "404")
        #expect(notFound.body.contains("\"code\":\"route_not_found\""))

        let h1 = try curl(["--http1.1"], "https://127.0.0.1:\(port)/api/weddings/w1")
        #expect(h1.version == "1.1" && h1.status == "200")
        #expect(h1.body.contains("Ada & Grace"))
    }

    @Test("HTTPS upstreams: the certificate is verified (trusted via --upstream-ca-file) and requests pass over TLS; an untrusted one gets 502")
    func httpsUpstream() async throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-tls")
        defer { directory.remove() }
        let (certificate, key) = try Self.makeCertificate(in: directory, name: "upstream")
        let upstream = try DemoUpstream.start(["--tls-certificate", certificate, "--tls-key", key])
        defer { upstream.process.terminate() }
        let yaml = """
        gateways:
          - name: wedsync-api-gateway
            base_url: http://localhost:8080
            is_default: true
            services:
              - { service_name: secure, service_url: "https://127.0.0.1:\(upstream.port)", retry_attempts: 0 }
            routes:
              - { route_path: "/api/echo/*", route_method: ANY, service: secure, upstream_path: "/echo/*" }
        """
        let trusted = try GatewayUnderTest.start(
            configuration: yaml, data: directory.appending("trusted"), extraArguments: ["--upstream-ca-file", certificate]
        )
        let response = try await TestHTTP.request("GET", "/api/echo/over-tls", port: trusted.port)
        #expect(response.status == 200)
        #expect(try response.json()["path"] as? String == "/echo/over-tls")
        trusted.stop()

        let untrusted = try GatewayUnderTest.start(configuration: yaml, data: directory.appending("untrusted"))
        let refused = try await TestHTTP.request("GET", "/api/echo/over-tls", port: untrusted.port)
        #expect(refused.status == 502, "an unverifiable upstream certificate is never accepted")
        untrusted.stop()
    }

    @Test("SNI selects the certificate of the gateway whose ssl_config names one; other names get the listener's")
    func perGatewayCertificate() throws {
        let fixture = try ProxyFixture.start(upstreams: 1, serveArguments: Self.tlsArguments)
        defer { fixture.tearDown() }
        let port = try #require(fixture.gateway.tlsPort)
        // A second gateway with its own certificate, applied while the gateway runs.
        let (certificate, key) = try Self.makeCertificate(in: fixture.directory, name: "api", dnsName: "api.wedsync.example")
        let yaml = try String(contentsOfFile: fixture.gateway.data + ".yaml", encoding: .utf8) + """

          - name: secure-api
            base_url: https://api.wedsync.example
            ssl_config: { enabled: true, certificate_path: "\(certificate)", private_key_path: "\(key)" }
            services: [{ service_name: demo, service_url: "\(fixture.upstreams[0].url)" }]
            routes: [{ route_path: "/v1/*", route_method: ANY, service: demo, upstream_path: "/echo/*" }]
        """
        let file = fixture.directory.appending("second.yaml")
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try runProcess(BuiltProducts.path(of: "gatehouse"), ["config", "apply", file, "--data", fixture.gateway.data])
        #expect(applied.status == 0, "\(applied.standardError)")

        var served = ""
        for _ in 0 ..< 50 where !served.contains("CN=api.wedsync.example") {  // the gateway picks the change up within 500 ms
            Thread.sleep(forTimeInterval: 0.1)
            served = try runProcess("/usr/bin/curl", [
                "-vsk", "--resolve", "api.wedsync.example:\(port):127.0.0.1", "https://api.wedsync.example:\(port)/v1/hello", "-o", "/dev/null",
            ]).standardError
        }
        #expect(served.contains("subject: CN=api.wedsync.example"))
        let other = try runProcess("/usr/bin/curl", ["-vsk", "https://127.0.0.1:\(port)/api/echo/x", "-o", "/dev/null"]).standardError
        #expect(other.contains("subject: CN=127.0.0.1"))
    }

    @Test("h2c: a client with prior knowledge speaks HTTP/2 on the plain port; HTTP/1.1 clients on the same port are unaffected")
    func cleartextHTTP2() throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        let h2c = try curl(["--http2-prior-knowledge"], "http://127.0.0.1:\(fixture.port)/api/weddings/w1")
        #expect(h2c.version == "2" && h2c.status == "200")
        #expect(h2c.body.contains("Ada & Grace"))
        let post = try curl(["--http2-prior-knowledge", "-X", "POST", "--data-binary", "hello h2"], "http://127.0.0.1:\(fixture.port)/api/echo/h2-body")
        #expect(post.version == "2" && post.body.contains("\"body_bytes\":8"))
        let h1 = try curl(["--http1.1", "-X", "POST", "--data-binary", "x"], "http://127.0.0.1:\(fixture.port)/api/echo/h1")
        #expect(h1.version == "1.1" && h1.status == "200")
    }
}
