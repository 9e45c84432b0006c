import GatehouseCache

/// The parts of a plan's `RateLimit-Policy` and `RateLimit` fields that every response repeats,
/// laid out once as bytes: pieces, each followed by at most one number of the request's
/// verdicts. With a fixed policy the first piece runs from `RateLimit-Policy: ` to the first
/// rule's `"name";r=`; a calendar month's rule ends its piece at `;w=`, before its period's
/// length. A response's fields (``RateLimitFields/write(into:)``) copy the pieces and write only
/// the numbers.
struct LimitFieldLayout: Sendable {
    /// A number of one rule's verdict.
    enum Number: Sendable {
        /// The window's length in seconds.
        case window(rule: Int)
        case remaining(rule: Int)
        /// Seconds until the window resets.
        case reset(rule: Int)
    }

    struct Piece: Sendable {
        let bytes: Range<Int>
        let number: Number?
    }

    /// Every piece's bytes, one after the other.
    let bytes: [UInt8]
    let pieces: [Piece]
    /// Whether any enforced rule judges the request (otherwise there are no fields).
    let describesLimits: Bool
    /// Room the numbers take at most.
    let numbersCapacity: Int

    init(rules: [LimitRule]) {
        var bytes: [UInt8] = [], pieces: [Piece] = []
        var start = 0
        func text(_ text: String) { bytes += Array(text.utf8) }
        func number(_ number: Number) {
            pieces.append(Piece(bytes: start ..< bytes.count, number: number))
            start = bytes.count
        }
        let enforced = rules.indices.filter { rules[$0].enforced }
        text("RateLimit-Policy: ")
        for (order, position) in enforced.enumerated() {
            let rule = rules[position]
            if order > 0 { text(", ") }
            if let item = rule.policyItem {
                text(item)
            } else {
                text("\(rule.fieldName);q=\(rule.quota);w=")
                number(.window(rule: position))
            }
        }
        text("\r\nRateLimit: ")
        for (order, position) in enforced.enumerated() {
            text("\(order > 0 ? ", " : "")\(rules[position].fieldName);r=")
            number(.remaining(rule: position))
            text(";t=")
            number(.reset(rule: position))
        }
        text("\r\n")
        pieces.append(Piece(bytes: start ..< bytes.count, number: nil))
        self.bytes = bytes
        self.pieces = pieces
        describesLimits = !enforced.isEmpty
        numbersCapacity = (pieces.count - 1) * FieldValueWriter.numberCapacity
    }
}
