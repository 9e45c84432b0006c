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
///
/// A rule's form is worked out once, where the rule is made (``init(_:)``), and travels with its
/// evaluations, so writing an outcome parses no ids.
public enum CompactRuleID: Sendable, Hashable {
    /// `route:<uuid>:<window>`.
    case route(UUID, window: UInt8)
    /// `policy:<uuid>:<window>`.
    case policy(UUID, window: UInt8)
    /// `quota:<period>`.
    case quota(period: UInt8)
    /// Any other id, stored as its text.
    case text

    private static let windows = ["second", "minute", "hour", "day"]
    private static let periods = ["day", "month"]

    /// The form `id` is stored in.
    public init(_ id: String) {
        var text = id
        self = text.withUTF8 { utf8 -> CompactRuleID in
            if let rest = Self.suffix(of: utf8, after: "quota:"), let period = Self.code(of: rest, in: Self.periods) { return .quota(period: period) }
            if let rest = Self.suffix(of: utf8, after: "route:"), let (uuid, window) = Self.uuidAndWindow(rest) { return .route(uuid, window: window) }
            if let rest = Self.suffix(of: utf8, after: "policy:"), let (uuid, window) = Self.uuidAndWindow(rest) { return .policy(uuid, window: window) }
            return .text
        }
    }

    /// Writes `id`, whose form this is; `routeID` is the outcome's route, which a route rule's
    /// id names again (a route rule of another route is written as text).
    func write(_ id: String, routeID: RouteID?, into writer: inout BinaryWriter) {
        switch self {
        case .route(let uuid, let window) where routeID?.uuid == uuid:
            writer.byte(1)
            writer.byte(window)
        case .policy(let uuid, let window):
            writer.byte(2)
            writer.uuid(uuid)
            writer.byte(window)
        case .quota(let period):
            writer.byte(3)
            writer.byte(period)
        case .route, .text:
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

    /// Reads one stored id and its form (its shape was checked by ``skip(in:)``).
    static func read(from reader: inout BinaryReader, routeID: RouteID?) throws -> (id: String, form: CompactRuleID) {
        switch try reader.byte() {
        case 0:
            let id = try reader.string()
            return (id, CompactRuleID(id))
        case 1:
            let window = try reader.byte()
            let id = "route:\(routeID?.description ?? "?"):\(windows[Int(window)])"
            return (id, routeID.map { .route($0.uuid, window: window) } ?? .text)
        case 2:
            let uuid = try reader.uuid()
            let window = try reader.byte()
            return ("policy:\(uuid.uuidString.lowercased()):\(windows[Int(window)])", .policy(uuid, window: window))
        default:
            let period = try reader.byte()
            return ("quota:\(periods[Int(period)])", .quota(period: period))
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
