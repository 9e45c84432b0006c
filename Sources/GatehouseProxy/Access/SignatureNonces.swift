import Foundation
import Synchronization

/// Signatures already used, each remembered until it could no longer pass the clock-skew check,
/// so a captured request cannot be replayed (at most 100,000 remembered; expired ones are
/// dropped first, and when all are live the new signature is refused rather than forgotten).
final class SignatureNonces: Sendable {
    private let seen = Mutex<[Data: Int64]>([:])
    private let capacity = 100_000

    /// Records `signature` until `until` (µs); `false` when it was already used (or no room).
    func firstUse(_ signature: Data, now: Int64, until: Int64) -> Bool {
        seen.withLock { seen in
            if let expiry = seen[signature], expiry > now { return false }
            if seen.count >= capacity { seen = seen.filter { $0.value > now } }
            guard seen.count < capacity else { return false }
            seen[signature] = until
            return true
        }
    }
}
