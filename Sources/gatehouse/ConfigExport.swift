import ArgumentParser
import Foundation
import GatehouseEngine

/// `gatehouse config export`
struct ConfigExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the current configuration as YAML that `config apply` accepts."
    )

    @OptionGroup var options: DataOptions
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        let yaml = try ConfigExporter.yaml(of: options.openEngine().state)
        if let output {
            try yaml.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(yaml, terminator: "")
        }
    }
}
