import Foundation

/// A `demo-upstream` on a free loopback port.
public struct DemoUpstream: Sendable {
    public let process: RunningProcess
    public let port: Int

    /// Starts one and waits until it listens.
    public static func start(_ extraArguments: [String] = []) throws -> DemoUpstream {
        let process = try RunningProcess(BuiltProducts.path(of: "demo-upstream"), ["--port", "0"] + extraArguments)
        let line = try process.waitForLine(containing: "listening on")
        guard let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw ProcessWaitError(message: "cannot read the port from '\(line)'")
        }
        return DemoUpstream(process: process, port: port)
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
}

/// `gatehouse serve` on a free loopback port, with its own data directory and configuration.
public struct GatewayUnderTest: Sendable {
    public let process: RunningProcess
    public let port: Int
    /// The TLS listener's port, when started with one.
    public let tlsPort: Int?
    /// The admin listener's port.
    public let adminPort: Int?
    /// The bootstrap admin token, when this start generated it (printed once in the log).
    public let adminToken: String?
    public let data: String

    /// Writes `configuration` (YAML) next to `data` and starts the gateway with one event loop,
    /// its proxy and admin listeners on free loopback ports.
    public static func start(
        configuration: String, data: String, extraArguments: [String] = [], environment: [String: String] = [:]
    ) throws -> GatewayUnderTest {
        let file = data + ".yaml"
        try configuration.write(toFile: file, atomically: true, encoding: .utf8)
        let process = try RunningProcess(
            BuiltProducts.path(of: "gatehouse"),
            ["serve", "--data", data, "--config", file, "--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--event-loops", "1"]
                + extraArguments,
            environment: environment
        )
        let line = try process.waitForLine(containing: "\"event\":\"started\"")
        guard let port = listener("proxy", in: line) else { throw ProcessWaitError(message: "cannot read the port from '\(line)'") }
        let token = process.output.first { $0.contains("\"admin_token_generated\"") }.flatMap { line in
            line.range(of: #""token":"[^"]+""#, options: .regularExpression).map { String(line[$0].dropFirst(9).dropLast()) }
        }
        return GatewayUnderTest(
            process: process, port: port, tlsPort: listener("tls", in: line), adminPort: listener("admin", in: line), adminToken: token, data: data
        )
    }

    /// The port of `"name":"127.0.0.1:PORT"` in the start-up line.
    private static func listener(_ name: String, in line: String) -> Int? {
        guard let range = line.range(of: "\"\(name)\":\"127.0.0.1:(\\d+)\"", options: .regularExpression) else { return nil }
        return Int(line[range].split(separator: ":").last!.dropLast())
    }

    /// Stops it with SIGTERM (graceful drain) and returns its exit status.
    @discardableResult
    public func stop() -> Int32 { process.terminate() }
}
