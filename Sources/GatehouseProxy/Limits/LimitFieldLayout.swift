/// The parts of a plan's limit fields that every response repeats, laid out once as bytes: the
/// `RateLimit-Policy` line with the start of `RateLimit` (when no enforced rule's window varies)
/// and, for each enforced rule, the start of its `RateLimit` item, `"name";r=`. A response's
/// fields (``RateLimitFields/write(into:)``) then copy these and write only the numbers.
struct LimitFieldLayout: Sendable {
    /// One enforced rule's `RateLimit` item start: the rule's position and its bytes.
    struct Item: Sendable {
        let rule: Int
        let bytes: Range<Int>
    }

    /// Every piece, one after the other.
    let bytes: [UInt8]
    /// `RateLimit-Policy: …\r\nRateLimit: `, when the policy is fixed.
    let head: Range<Int>?
    /// The enforced rules' items, in order (each after the first begins with `, `).
    let items: [Item]
    /// Room the fields of any response take at most (``RateLimitFields/write(into:)``).
    let capacity: Int

    init(rules: [LimitRule], policyField: String?) {
        var bytes: [UInt8] = []
        if let policyField { bytes += Array("RateLimit-Policy: \(policyField)\r\nRateLimit: ".utf8) }
        head = policyField == nil ? nil : 0 ..< bytes.count
        var items: [Item] = []
        for (position, rule) in rules.enumerated() where rule.enforced {
            let start = bytes.count
            bytes += Array("\(items.isEmpty ? "" : ", ")\(rule.fieldName);r=".utf8)
            items.append(Item(rule: position, bytes: start ..< bytes.count))
        }
        self.bytes = bytes
        self.items = items
        // Per item two numbers and `;t=`; then the X-RateLimit lines and `Retry-After` (names,
        // separators and four numbers), and a policy written per request.
        capacity = bytes.count + items.count * (3 + 2 * FieldValueWriter.numberCapacity) + 140 + 4 * FieldValueWriter.numberCapacity
            + (policyField == nil ? 40 + RateLimitHeaders.policyCapacity(rules) : 0)
    }
}
