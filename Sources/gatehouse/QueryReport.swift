import Foundation
import GatehouseCore
import GatehouseEngine

/// The figures `gatehouse query` prints, as rows for a table, JSON or CSV.
struct QueryReport {
    let buckets: MetricsBuckets
    let state: ConfigState
    let from: Timestamp
    let to: Timestamp
    let limit: Int

    /// Named columns and rows of cells (JSON numbers stay numbers).
    struct Rows {
        var columns: [String]
        var rows: [[JSONValue]]

        func rendered(as format: QueryCommand.Format) -> String {
            switch format {
            case .json:
                let objects = rows.map { row in JSONValue.object(Dictionary(uniqueKeysWithValues: zip(columns, row))) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                return (try? String(decoding: encoder.encode(JSONValue.array(objects)), as: UTF8.self)) ?? "[]"
            case .csv:
                return ([columns.joined(separator: ",")] + rows.map { $0.map(Self.csvCell).joined(separator: ",") }).joined(separator: "\n")
            case .table:
                var table = TextTable()
                table.header = columns
                table.rows = rows.map { $0.map(Self.text) }
                return table.rendered
            }
        }

        private static func text(_ value: JSONValue) -> String {
            switch value {
            case .string(let text): text
            case .number(let number): number == number.rounded() && abs(number) < 1e15 ? Int(number).grouped : String(format: "%.2f", number)
            case .bool(let flag): String(flag)
            default: ""
            }
        }

        private static func csvCell(_ value: JSONValue) -> String {
            let cell: String = switch value {
            case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            default: text(value)
            }
            return cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
    }

    private static let figures = ["requests", "errors", "error_rate", "avg_ms", "p50_ms", "p95_ms", "p99_ms", "cache_hit_rate", "bytes_out"]

    private func figures(_ tally: MetricTally) -> [JSONValue] {
        [
            .number(Double(tally.requests)), .number(Double(tally.errors)), .number(tally.errorRate), .number(tally.averageMilliseconds),
            .number(tally.percentileMilliseconds(0.5)), .number(tally.percentileMilliseconds(0.95)), .number(tally.percentileMilliseconds(0.99)),
            .number(tally.cacheHitRate), .number(Double(tally.responseBytes)),
        ]
    }

    func overview() -> Rows {
        let all = buckets.tally(.all, from: from, to: to)
        return Rows(columns: ["from", "to"] + Self.figures, rows: [[.string(from.rfc3339), .string(to.rfc3339)] + figures(all)])
    }

    func routes() -> Rows {
        grouped(label: ["route", "method"]) { dimension in
            guard case .route(let id) = dimension else { return nil }
            let route = state.routes[id]
            return [.string(route?.routePath ?? id.description), .string(route?.routeMethod.rawValue ?? "?")]
        }
    }

    func keys() -> Rows {
        grouped(label: ["key_prefix", "key_name"]) { dimension in
            guard case .key(let id) = dimension else { return nil }
            let key = state.apiKeys[id]
            return [.string(key?.apiKeyPrefix ?? id.description), .string(key?.keyName ?? "")]
        }
    }

    func backends() -> Rows {
        grouped(label: ["service", "service_url"]) { dimension in
            guard case .backend(let id) = dimension else { return nil }
            let instance = state.backendServices[id]
            return [.string(instance?.serviceName ?? id.description), .string(instance?.serviceURL ?? "")]
        }
    }

    /// Responses by status (no latency: statuses only count), most first.
    func statuses() -> Rows {
        let tallies = buckets.tallies(from: from, to: to) { if case .status = $0 { true } else { false } }
        let total = max(1, tallies.values.reduce(0) { $0 + $1.requests })
        let rows = tallies.sorted { ($0.value.requests, $1.key.statusClass ?? 0) > ($1.value.requests, $0.key.statusClass ?? 0) }.prefix(limit)
            .compactMap { dimension, tally -> [JSONValue]? in
                guard case .status(let status) = dimension else { return nil }
                return [.string(status == 0 ? "none" : String(status)), .number(Double(tally.requests)),
                        .number(Double(tally.requests) * 100 / Double(total)), .number(Double(tally.responseBytes))]
            }
        return Rows(columns: ["status", "requests", "percent", "bytes_out"], rows: rows)
    }

    /// Distinct errors (status and the gateway's message), most frequent first, with when they
    /// were first and last seen in the range.
    func errors() -> Rows {
        let tallies = buckets.tallies(from: from, to: to) { if case .error = $0 { true } else { false } }
        let rows = tallies.sorted { $0.value.requests > $1.value.requests }.prefix(limit).compactMap { dimension, tally -> [JSONValue]? in
            guard case .error(let status, let message) = dimension else { return nil }
            return [.number(Double(status)), .string(message), .number(Double(tally.requests)),
                    .string(tally.firstSeen?.rfc3339 ?? ""), .string(tally.lastSeen?.rfc3339 ?? "")]
        }
        return Rows(columns: ["status", "message", "count", "first_seen", "last_seen"], rows: Array(rows))
    }

    /// One row per dimension `label` names, most requests first.
    private func grouped(label columns: [String], _ label: (MetricDimension) -> [JSONValue]?) -> Rows {
        let tallies = buckets.tallies(from: from, to: to) { label($0) != nil }
        let rows = tallies.sorted { $0.value.requests > $1.value.requests }.prefix(limit).map { label($0.key)! + figures($0.value) }
        return Rows(columns: columns + Self.figures, rows: Array(rows))
    }
}
