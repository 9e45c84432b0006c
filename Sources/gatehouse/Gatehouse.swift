import ArgumentParser

/// The `gatehouse` command: one executable for the gateway and its tools.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "An event-sourced API gateway.",
        discussion: "Every config change and request outcome is an event in an LMDB log under --data (default ./data).",
        subcommands: [ServeCommand.self, ConfigCommand.self, AuditCommand.self, LogCommand.self, QueryCommand.self, BenchCommand.self]
    )
}
