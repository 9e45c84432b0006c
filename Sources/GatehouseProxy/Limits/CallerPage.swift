/// One page of a ``LimiterTable``: up to six rule states of one caller, inline (224 bytes, a
/// few adjacent cache lines). A caller checked against more rules than fit gets further pages,
/// numbered 1, 2, … under the same fingerprint.
struct CallerPage: Sendable {
    /// The rule states a page holds — a premium policy's four windows and a key's two quotas.
    static let capacity = 6
    struct Slot: Sendable {
        var state = LimitState()
        /// The rule's number (``LimitRule/number``).
        var rule: UInt32 = 0
    }

    let fingerprint: CallerFingerprint
    /// Last check that visited this page (µs), for eviction. A caller's later pages are only
    /// visited after its earlier ones, so they are never fresher.
    var lastUsed: Int64 = 0
    /// 0 for the caller's first page.
    let number: UInt32
    /// Slots in use, from the front.
    var used: UInt32 = 0
    var slots = InlineArray<6, Slot>(repeating: Slot())

    /// The slot holding `rule`, if any.
    func slot(of rule: UInt32) -> Int? {
        for index in 0 ..< Int(used) where slots[index].rule == rule { return index }
        return nil
    }
}
