import Foundation
import GatehouseTesting
import Testing

@Suite("proxy: TLS listener with HTTP/2", .serialized)
struct ProxyTLSTests {
    /// A self-signed certificate for 127.0.0.1 made with openssl; returns the serve arguments.
    private static func tlsArguments(_ directory: TemporaryDirectory) throws -> [String] {
        let certificate = directory.appending("cert.pem")
        let key = directory.appending("key.pem")
        let made = try runProcess("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        guard made.status == 0 else { throw TestHTTPError(message: "openssl failed: \(made.standardError)") }
        return ["--tls-port", "0", "--tls-certificate", certificate, "--tls-key", key]
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
}
