import Synchronization

/// Gives each rule id a small number once, when rules are planned, so a check compares integers
/// instead of hashing strings.
enum RuleNumbers {
    private static let numbers = Mutex<[String: Int]>([:])

    /// The number of `id` (the same for the life of the process).
    static func number(for id: String) -> Int {
        numbers.withLock { numbers in
            if let number = numbers[id] { return number }
            let number = numbers.count
            numbers[id] = number
            return number
        }
    }
}
