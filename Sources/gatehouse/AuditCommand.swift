import ArgumentParser
import EventLog
import GatehouseCore

/// `gatehouse audit [--since …] [--kind …]`
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Config history: sequence, time, actor, event and what changed."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var options: DataOptions
    @Option(help: "Start after this sequence number, or at this RFC 3339 time.") var since: LogPosition?
    @Option(parsing: .upToNextOption, help: "Only these event kinds, e.g. RouteDefined APIKeyRotated.") var kind: [String] = []
    @Option(help: "table or json (one object per line).") var format: Format = .table

    func run() async throws {
        var kinds: Set<ControlEventKind> = []
        for name in kind.flatMap({ $0.split(separator: ",") }) {
            guard let found = ControlEventKind(name: String(name)) else {
                throw ValidationFailure("unknown event kind '\(name)'; known: \(ControlEventKind.allCases.map(\.name).joined(separator: ", "))")
            }
            kinds.insert(found)
        }
        let log = try options.openLog()
        var after: SequenceNumber = 0
        var sinceTime: Int64?
        switch since {
        case .sequence(let sequence): after = sequence
        case .time(let time): sinceTime = time.microseconds
        case .none: break
        }
        var failure: (any Error)?
        try log.scan(.control, after: after) { view in
            if let sinceTime, view.timestamp < sinceTime { return true }
            let record = view.recordedEvent()
            do {
                let event = try ControlEvent(record)
                guard kinds.isEmpty || kinds.contains(event.kind) else { return true }
                switch format {
                case .json:
                    print(EventFormatting.auditJSON(record, event))
                case .table:
                    let time = Timestamp(microseconds: record.envelope.timestamp)
                    print("#\(record.sequence)  \(time)  \(record.envelope.actor)  " + EventFormatting.diffLine(event))
                }
                return true
            } catch {
                failure = EventLogError.corruptRecord(sequence: record.sequence, reason: "\(error)")
                return false
            }
        }
        if let failure { throw failure }
    }
}
