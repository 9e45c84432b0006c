import ArgumentParser
import GatehouseCore
import GatehouseEngine

/// `gatehouse config diff FILE.yaml`
struct ConfigDiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what applying FILE would change, without changing anything."
    )

    @OptionGroup var options: DataOptions
    @Argument(help: "A YAML configuration file.") var file: String

    func run() async throws {
        let yaml = try readConfigFile(file)
        let engine = try options.openEngine()
        do {
            let events = try DeclarativeConfig(engine: engine).plan(yaml, fileName: file, context: CommandContext(time: .now(), actor: "diff"))
            if events.isEmpty { print("no changes") }
            for event in events { print(EventFormatting.diffLine(event)) }
        } catch let error as ConfigFileError {
            throw ValidationFailure(error.description)
        }
    }
}
