import ArgumentParser
import EventLog
import GatehouseCore

/// `gatehouse log tail`
struct LogTail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Follow the log as events are appended.")

    enum Stream: String, ExpressibleByArgument, CaseIterable { case all, control, traffic }

    @OptionGroup var options: DataOptions
    @Option(help: "all, control or traffic.") var stream: Stream = .all
    @Option(help: "Start after this sequence (default: the current end).") var after: UInt64?
    @Option(help: "Stop after this many events.") var limit: Int?

    func run() async throws {
        let log = try options.openLog()
        let selected: EventStream? = switch stream {
        case .all: nil
        case .control: .control
        case .traffic: .traffic
        }
        let start = try after ?? log.lastSequence(of: nil)
        var shown = 0
        for try await record in log.tail(selected, after: start) {
            switch record.stream {
            case .control:
                let event = try ControlEvent(record)
                print("#\(record.sequence)  \(Timestamp(microseconds: record.envelope.timestamp))  \(record.envelope.actor)  "
                    + EventFormatting.diffLine(event))
            case .traffic:
                let outcome = try record.envelope.payload.withUnsafeBytes {
                    try RequestCompleted(schemaVersion: record.envelope.schemaVersion, payload: $0)
                }
                print(EventFormatting.trafficLine(outcome, sequence: record.sequence))
            }
            shown += 1
            if let limit, shown >= limit { return }
        }
    }
}
