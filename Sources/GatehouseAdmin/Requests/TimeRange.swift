import GatehouseCore
import Hummingbird

/// The `from`/`to` (RFC 3339) or `range` (`1h`, `24h`, `7d`, `30d`) of an analytics request;
/// the last 24 hours by default, 31 days at most.
struct TimeRange {
    let from: Timestamp
    let to: Timestamp

    init(_ parameters: Parameters, now: Timestamp = .now()) throws {
        for (name, _) in parameters where !["from", "to", "range"].contains(String(name)) {
            throw AdminError(.badRequest, "invalid_query", "\(name): unknown parameter; known: from, to, range", field: String(name))
        }
        var to = now
        if let text = parameters.get("to") {
            guard let time = Timestamp(rfc3339: text) else { throw Self.invalid("to", "must be an RFC 3339 time") }
            to = time
        }
        var seconds: Int64 = 86_400
        if let range = parameters.get("range") {
            guard let value = Int64(range.dropLast()), value > 0, let unit = range.last, let scale: Int64 = ["h": 3600, "d": 86_400][unit] else {
                throw Self.invalid("range", "must be like 1h, 24h, 7d or 30d")
            }
            seconds = value * scale
        }
        var from = to.adding(seconds: -seconds)
        if let text = parameters.get("from") {
            guard let time = Timestamp(rfc3339: text) else { throw Self.invalid("from", "must be an RFC 3339 time") }
            from = time
        }
        guard from < to else { throw Self.invalid("from", "must be before to") }
        guard to.microseconds - from.microseconds <= 31 * 86_400 * 1_000_000 else { throw Self.invalid("from", "the range can span 31 days at most") }
        self.from = from
        self.to = to
    }

    private static func invalid(_ field: String, _ message: String) -> AdminError {
        AdminError(.badRequest, "invalid_query", "\(field): \(message)", field: field)
    }
}
