import Foundation
import GatehouseTesting
import Testing

@Suite("gatehouse command line")
struct CommandLineTests {
    let gatehouse = BuiltProducts.path(of: "gatehouse")

    @Test("config apply, apply again, audit, show --at, export and log stats work on a data directory")
    func configLifecycle() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-cli")
        defer { directory.remove() }
        let data = directory.appending("data")
        let fixture = Fixtures.path("wedsync.yaml")

        let applied = try runProcess(gatehouse, ["config", "apply", fixture, "--data", data, "--actor", "cli:ops"])
        #expect(applied.status == 0, "\(applied.standardError)")
        #expect(applied.standardOutput.contains("applied"))
        let again = try runProcess(gatehouse, ["config", "apply", fixture, "--data", data])
        #expect(again.standardOutput.contains("nothing changed"))

        let audit = try runProcess(gatehouse, ["audit", "--data", data])
        #expect(audit.status == 0)
        #expect(audit.standardOutput.contains("cli:ops  + GatewayCreated gateway wedsync-api-gateway"))
        #expect(audit.standardOutput.contains("RouteDefined route GET /api/v1/weddings/{weddingId}"))
        let keysOnly = try runProcess(gatehouse, ["audit", "--data", data, "--kind", "APIKeyIssued", "--format", "json"])
        let lines = keysOnly.standardOutput.split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains("\"event\":\"APIKeyIssued\"") && $0.contains("\"actor\":\"cli:ops\"") })
        #expect(!keysOnly.standardOutput.contains("demo-basic-key-0001"), "plaintext keys never reach the log")

        let first = try runProcess(gatehouse, ["config", "show", "--at", "1", "--data", data])
        #expect(first.standardOutput.contains("wedsync-api-gateway") && !first.standardOutput.contains("weddings-service"))

        let exported = directory.appending("export.yaml")
        #expect(try runProcess(gatehouse, ["config", "export", "--data", data, "-o", exported]).status == 0)
        #expect(try runProcess(gatehouse, ["config", "diff", exported, "--data", data]).standardOutput.contains("no changes"))

        let stats = try runProcess(gatehouse, ["log", "stats", "--data", data])
        #expect(stats.standardOutput.contains("RouteDefined"))
        #expect(try runProcess(gatehouse, ["log", "verify", "--data", data]).status == 0)
    }

    @Test("a broken file is refused with file, line and field, and appends nothing")
    func refusedFile() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-cli")
        defer { directory.remove() }
        let data = directory.appending("data")
        let broken = directory.appending("broken.yaml")
        let yaml = try Fixtures.text("wedsync.yaml").replacingOccurrences(of: "health_check_interval: 30", with: "health_check_interval: 30\n    colour: blue")
        try yaml.write(toFile: broken, atomically: true, encoding: .utf8)
        let result = try runProcess(gatehouse, ["config", "apply", broken, "--data", data])
        #expect(result.status != 0)
        #expect(result.standardError.contains("broken.yaml:13:5: gateways[0].colour: unknown field 'colour'"), "\(result.standardError)")
        #expect(try runProcess(gatehouse, ["audit", "--data", data]).standardOutput.isEmpty)
    }

    @Test("log tail follows appends made by another process")
    func tailFollows() async throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-cli")
        defer { directory.remove() }
        let data = directory.appending("data")
        let tail = Process()
        tail.executableURL = URL(fileURLWithPath: gatehouse)
        tail.arguments = ["log", "tail", "--data", data, "--after", "0", "--limit", "3"]
        let output = Pipe()
        tail.standardOutput = output
        try tail.run()
        #expect(try runProcess(gatehouse, ["config", "apply", Fixtures.path("wedsync.yaml"), "--data", data]).status == 0)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tail.waitUntilExit()
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.hasPrefix("#1 "))
    }
}
