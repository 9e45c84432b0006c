import ArgumentParser
import EventLog
import GatehouseCore

/// `gatehouse log stats`
struct LogStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Record counts and bytes per stream and kind.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        let statistics = try options.openLog().statistics()
        var table = TextTable("stream", "kind", "records", "bytes")
        for (key, figures) in statistics.kinds.sorted(by: { $0.key < $1.key }) {
            let name = key.stream == .traffic && key.kind == RequestCompleted.kind ? "RequestCompleted"
                : ControlEventKind(rawValue: key.kind)?.name ?? "kind \(key.kind)"
            table.add(key.stream.description, name, figures.count.grouped, figures.bytes.grouped)
        }
        print(table.rendered)
        let records = statistics.kinds.values.reduce(0) { $0 + $1.count }
        print("\n\(records.grouped) records, last sequence \(statistics.lastSequence), "
            + "file \(statistics.storageBytes.grouped) bytes, map \(statistics.mapSize.grouped) bytes")
        if statistics.unreadableRecords > 0 {
            print("\(statistics.unreadableRecords) unreadable record(s): run `gatehouse log verify`")
        }
    }
}
