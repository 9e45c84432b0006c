import ArgumentParser

/// `gatehouse config …`: declarative configuration.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Apply, compare, export and inspect the configuration.",
        subcommands: [ConfigApply.self, ConfigDiff.self, ConfigExport.self, ConfigShow.self]
    )
}
