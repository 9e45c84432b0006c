import Synchronization

/// Gives each rule id a small number once, when rules are planned, so a check compares integers
/// instead of hashing strings.
enum RuleNumbers {
    private static let numbers = Mutex<[String: UInt32]>([:])

    /// The number of `id` (the same for the life of the process).
    static func number(for id: String) -> UInt32 {
        numbers.withLock { numbers in
            if let number = numbers[id] { return number }
            let number = UInt32(numbers.count)
            numbers[id] = number
            return number
        }
    }
}
