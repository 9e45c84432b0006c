import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse config apply FILE.yaml`
struct ConfigApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the configuration equal FILE (all or nothing; a second apply records nothing)."
    )

    @OptionGroup var options: DataOptions
    @Argument(help: "A YAML configuration file, e.g. fixtures/wedsync.yaml.") var file: String
    @Option(help: "Recorded as the actor of every change.") var actor: String = "cli:\(ProcessInfo.processInfo.userName)"

    func run() async throws {
        let yaml = try readConfigFile(file)
        let engine = try options.openEngine()
        let context = CommandContext(time: .now(), actor: actor)
        do {
            let recorded = try DeclarativeConfig(engine: engine).apply(yaml, fileName: file, context: context)
            if recorded.isEmpty {
                print("\(file): already applied, nothing changed")
            } else {
                print("\(file): applied \(recorded.count) change(s), sequences \(recorded.first!.sequence)…\(recorded.last!.sequence)")
            }
        } catch let error as ConfigFileError {
            throw ValidationFailure(error.description)
        }
    }
}

/// Reads a configuration file, failing with a clear message.
func readConfigFile(_ path: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ValidationFailure("\(path): cannot read: \(error.localizedDescription)")
    }
}

/// A failure explained on stderr, exiting with status 1.
struct ValidationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
