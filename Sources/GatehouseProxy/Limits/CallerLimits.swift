/// Everything the limiter remembers about one caller: a state per rule it was checked against
/// (a handful), found by the rule's number, in one contiguous array.
struct CallerLimits: Sendable {
    private struct Slot: Sendable {
        let number: Int
        var state: LimitState
    }

    private var slots: [Slot] = []
    /// Last check (µs), for eviction.
    var lastUsed: Int64 = 0

    /// The state for rule `number` (fresh when never checked).
    func state(for number: Int) -> LimitState {
        for slot in slots where slot.number == number { return slot.state }
        return LimitState()
    }

    mutating func set(_ state: LimitState, for number: Int) {
        for index in slots.indices where slots[index].number == number {
            slots[index].state = state
            return
        }
        slots.append(Slot(number: number, state: state))
    }
}
