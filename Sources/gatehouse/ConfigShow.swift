import ArgumentParser
import GatehouseCore
import GatehouseEngine

/// `gatehouse config show [--at SEQ|TIME]`
struct ConfigShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the configuration as it is, or as it was at a sequence number or time."
    )

    @OptionGroup var options: DataOptions
    @Option(help: "A sequence number or an RFC 3339 time (e.g. 2026-11-26T17:00:00Z).") var at: LogPosition?

    func run() async throws {
        let log = try options.openLog()
        let state: ConfigState = switch at {
        case .none: try ControlProjection.rebuild(from: log)
        case .sequence(let sequence): try ControlProjection.rebuild(from: log, through: sequence)
        case .time(let time): try ControlProjection.state(at: time, in: log)
        }
        print("# configuration at sequence \(state.lastSequence)")
        print(try ConfigExporter.yaml(of: state), terminator: "")
    }
}
