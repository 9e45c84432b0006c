import ArgumentParser
import EventLogLMDB
import GatehouseEngine

/// `--data DIR`, shared by every subcommand.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory holding the event log.")
    var data: String = "./data"

    /// Opens the log in the data directory.
    func openLog() throws -> LMDBEventLog {
        try LMDBEventLog(directory: data)
    }

    /// Opens the log and the engine on it.
    func openEngine() throws -> GatehouseEngine {
        try GatehouseEngine(log: openLog())
    }
}
