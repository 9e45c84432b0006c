import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse query overview|routes|keys|backends|statuses|errors`: traffic figures from the metrics
/// projection — its checkpoint caught up with the log, read-only, so it runs beside a serving gateway.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Traffic figures from the metrics projection (minute/hour/day buckets of the request outcomes).",
        discussion: """
            The log is read, never written: the projection starts from the gateway's metrics checkpoint (so outcomes \
            already pruned by retention still count) and folds the rest of the log in memory (a progress bar on stderr \
            when that is long). Ranges are --range (1h, 24h, 7d, 30d; default 24h, ending now) or --from/--to (RFC 3339), \
            widened to whole minutes.
            """
    )

    enum View: String, ExpressibleByArgument, CaseIterable {
        case overview, routes, keys, backends, statuses, errors
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup var options: DataOptions
    @Argument(help: "What to show: overview, routes, keys, backends, statuses or errors.") var view: View = .overview
    @Option(help: "A range ending now: 15m, 1h, 24h, 7d, 30d.") var range: String?
    @Option(help: "Start (RFC 3339).") var from: String?
    @Option(help: "End (RFC 3339; default now).") var to: String?
    @Option(help: "table, json or csv.") var format: Format = .table
    @Option(help: "Rows at most (routes, keys, backends, statuses, errors), by requests.") var limit: Int = 20

    func run() async throws {
        let (start, end) = try timeRange()
        let log = try options.openLog()
        let state = try ControlProjection.rebuild(from: log)
        let expected = try log.lastSequence(of: .traffic)
        let bar = ProgressBar(total: expected, enabled: expected > 500_000 && isatty(2) != 0)
        let buckets = try MetricsBuckets.current(from: log) { bar.show($0) }
        bar.finish()
        let report = QueryReport(buckets: buckets, state: state, from: start, to: end, limit: limit)
        let rows: QueryReport.Rows = switch view {
        case .overview: report.overview()
        case .routes: report.routes()
        case .keys: report.keys()
        case .backends: report.backends()
        case .statuses: report.statuses()
        case .errors: report.errors()
        }
        print(rows.rendered(as: format))
    }

    private func timeRange() throws -> (Timestamp, Timestamp) {
        let now = Timestamp.now()
        if let range {
            guard from == nil, to == nil else { throw ValidationError("--range excludes --from and --to") }
            guard let unit = range.last, let amount = Int64(range.dropLast()), amount > 0,
                  let seconds = ["m": Int64(60), "h": 3600, "d": 86_400][String(unit)] else {
                throw ValidationError("--range: expected a number and m, h or d, e.g. 24h")
            }
            return (now.adding(seconds: -amount * seconds), now)
        }
        func parse(_ text: String?, _ name: String) throws -> Timestamp? {
            guard let text else { return nil }
            guard let time = Timestamp(rfc3339: text) else { throw ValidationError("\(name): not an RFC 3339 time") }
            return time
        }
        let end = try parse(to, "--to") ?? now
        let start = try parse(from, "--from") ?? end.adding(seconds: -86_400)
        guard start < end else { throw ValidationError("--from must be before --to") }
        return (start, end)
    }
}

/// A progress bar on stderr for long replays.
struct ProgressBar {
    let total: UInt64
    let enabled: Bool

    func show(_ done: UInt64) {
        guard enabled, total > 0 else { return }
        let fraction = min(1, Double(done) / Double(total))
        let filled = Int(fraction * 40)
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: 40 - filled))] \(Int(fraction * 100))%".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: 48))\r".utf8))
    }
}
