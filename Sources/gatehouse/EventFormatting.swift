import EventLog
import Foundation
import GatehouseCore

/// How events are shown by `audit`, `config diff` and `log tail`.
enum EventFormatting {
    /// `+ RouteDefined route GET /api/v1/x` (`+` new, `~` changed, `-` removed).
    static func diffLine(_ event: ControlEvent) -> String {
        let name = event.kind.name
        let marker = name.hasSuffix("Removed") || name.hasSuffix("Deregistered") || name.hasSuffix("Revoked") ? "-"
            : name.hasSuffix("Created") || name.hasSuffix("Registered") || name.hasSuffix("Defined")
                || name.hasSuffix("Issued") || name.hasSuffix("Published") ? "+" : "~"
        var line = "\(marker) \(name) \(event.subject)"
        for change in event.changes {
            line += "\n    \(change.field): \(json(change.old)) → \(json(change.new))"
        }
        return line
    }

    /// Compact JSON of a value.
    static func json(_ value: JSONValue) -> String {
        (try? CanonicalJSON.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }

    /// One audit record as a JSON object line.
    static func auditJSON(_ record: RecordedEvent, _ event: ControlEvent) -> String {
        let payload = (try? CanonicalJSON.decode(JSONValue.self, from: record.envelope.payload)) ?? .null
        let object: JSONValue = .object([
            "sequence": .number(Double(record.sequence)),
            "time": .string(Timestamp(microseconds: record.envelope.timestamp).rfc3339),
            "actor": .string(record.envelope.actor),
            "correlation_id": .string(record.envelope.correlationID),
            "event": .string(event.kind.name),
            "subject": .string(event.subject),
            "payload": payload,
        ])
        return json(object)
    }

    /// One traffic record as a line.
    static func trafficLine(_ outcome: RequestCompleted, sequence: SequenceNumber) -> String {
        "\(sequence)  \(outcome.startTime)  \(outcome.method) \(outcome.path) → \(outcome.status) "
            + "\(outcome.decision.name) \(outcome.totalMicros)µs  \(outcome.requestID)"
    }
}
