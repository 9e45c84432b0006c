import ArgumentParser

/// `gatehouse log stats|verify|tail`
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect the event log.",
        subcommands: [LogStats.self, LogVerify.self, LogTail.self]
    )
}
