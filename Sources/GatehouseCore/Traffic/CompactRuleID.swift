import Foundation

/// How schema 2 of the outcome codec stores a limit rule's id. The gateway's rule ids have three
/// shapes — `route:<route uuid>:<window>`, `policy:<policy uuid>:<window>` and
/// `quota:<day|month>` — and as text they made up a third of a limited request's record (every
/// byte of which is copied, checksummed and written). Stored by shape instead:
///
/// | first byte | then | id |
/// |---|---|---|
/// | 1 | window | `route:<the outcome's route id>:<window>` |
/// | 2 | 16-byte UUID, window | `policy:<uuid>:<window>` |
/// | 3 | 0 day, 1 month | `quota:<period>` |
/// | 0 | length-prefixed UTF-8 | any other id, as it is |
///
/// Windows are 0 `second`, 1 `minute`, 2 `hour`, 3 `day`.
enum CompactRuleID {
    private static let windows = ["second", "minute", "hour", "day"]
    private static let periods = ["day", "month"]

    /// Writes `id`; `routeID` is the outcome's route, which a route rule's id names again.
    static func write(_ id: String, routeID: RouteID?, into writer: inout BinaryWriter) {
        var text = id
        let written = text.withUTF8 { utf8 -> Bool in
            if let rest = suffix(of: utf8, after: "quota:"), let period = code(of: rest, in: periods) {
                writer.byte(3)
                writer.byte(period)
                return true
            }
            if let rest = suffix(of: utf8, after: "route:"), let (uuid, window) = uuidAndWindow(rest) {
                guard let routeID, routeID.uuid == uuid else { return false }
                writer.byte(1)
                writer.byte(window)
                return true
            }
            if let rest = suffix(of: utf8, after: "policy:"), let (uuid, window) = uuidAndWindow(rest) {
                writer.byte(2)
                writer.uuid(uuid)
                writer.byte(window)
                return true
            }
            return false
        }
        if !written {
            writer.byte(0)
            writer.string(id)
        }
    }

    /// Steps over one stored id (checking its shape).
    static func skip(in reader: inout BinaryReader) throws {
        switch try reader.byte() {
        case 0: _ = try reader.stringRange()
        case 1: try window(in: &reader)
        case 2:
            _ = try reader.uuid()
            try window(in: &reader)
        case 3: guard try reader.byte() < periods.count else { throw RequestCompleted.DecodingError.malformed("quota period") }
        case let tag: throw RequestCompleted.DecodingError.malformed("rule id form \(tag)")
        }
    }

    /// Reads one stored id (its shape was checked by ``skip(in:)``).
    static func read(from reader: inout BinaryReader, routeID: RouteID?) throws -> String {
        switch try reader.byte() {
        case 0: return try reader.string()
        case 1: return "route:\(routeID?.description ?? "?"):\(windows[Int(try reader.byte())])"
        case 2:
            let uuid = try reader.uuid()
            return "policy:\(uuid.uuidString.lowercased()):\(windows[Int(try reader.byte())])"
        default: return "quota:\(periods[Int(try reader.byte())])"
        }
    }

    private static func window(in reader: inout BinaryReader) throws {
        guard try reader.byte() < windows.count else { throw RequestCompleted.DecodingError.malformed("rule window") }
    }

    /// `<uuid>:<window>`, as a route's and a policy's rule ids end.
    private static func uuidAndWindow(_ text: UnsafeBufferPointer<UInt8>) -> (UUID, UInt8)? {
        guard text.count > 37, text[36] == UInt8(ascii: ":"), let uuid = parseUUID(UnsafeBufferPointer(rebasing: text[..<36])),
              let window = code(of: UnsafeBufferPointer(rebasing: text[37...]), in: windows) else { return nil }
        return (uuid, window)
    }

    /// What follows `prefix` in `utf8`, indexed from 0.
    private static func suffix(of utf8: UnsafeBufferPointer<UInt8>, after prefix: StaticString) -> UnsafeBufferPointer<UInt8>? {
        let count = prefix.utf8CodeUnitCount
        guard utf8.count >= count, memcmp(utf8.baseAddress!, prefix.utf8Start, count) == 0 else { return nil }
        return UnsafeBufferPointer(rebasing: utf8[count...])
    }

    private static func code(of text: UnsafeBufferPointer<UInt8>, in names: [String]) -> UInt8? {
        names.firstIndex { $0.utf8.elementsEqual(text) }.map(UInt8.init)
    }

    /// A UUID in the 36-character lowercase form identifiers print (so the id reads back exactly),
    /// without allocating.
    private static func parseUUID(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var position = 0
        let parsed = withUnsafeMutableBytes(of: &bytes) { output -> Bool in
            for index in 0 ..< 16 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = LowercaseHex.value(text[position]), let low = LowercaseHex.value(text[position + 1]) else { return false }
                output[index] = high << 4 | low
                position += 2
            }
            return true
        }
        return parsed ? UUID(uuid: bytes) : nil
    }
}
