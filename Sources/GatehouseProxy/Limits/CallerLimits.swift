/// Everything the limiter remembers about one caller: a state per rule it was checked against
/// (a handful), found by the rule's number.
struct CallerLimits: Sendable {
    private var numbers: [Int] = []
    private var states: [LimitState] = []
    /// Last check (µs), for eviction.
    var lastUsed: Int64 = 0

    /// The state for rule `number` (fresh when never checked).
    func state(for number: Int) -> LimitState {
        numbers.firstIndex(of: number).map { states[$0] } ?? LimitState()
    }

    mutating func set(_ state: LimitState, for number: Int) {
        if let index = numbers.firstIndex(of: number) {
            states[index] = state
        } else {
            numbers.append(number)
            states.append(state)
        }
    }
}
