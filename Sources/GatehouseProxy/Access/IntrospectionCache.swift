import GatehouseCore
import Synchronization

/// Introspection answers by the SHA-256 of the token, until each one's time is up; at most
/// 10,000 entries (expired ones are dropped first, then the soonest to expire).
final class IntrospectionCache: Sendable {
    private let entries = Mutex<[String: TokenIntrospection.Verdict]>([:])
    private let capacity = 10_000

    func verdict(for token: String, now: Int64) -> TokenIntrospection.Verdict? {
        let hash = APIKeyHash.hash(token)
        return entries.withLock { entries in
            guard let verdict = entries[hash] else { return nil }
            guard verdict.validUntil > now else {
                entries[hash] = nil
                return nil
            }
            return verdict
        }
    }

    func store(_ verdict: TokenIntrospection.Verdict, for token: String, now: Int64) {
        let hash = APIKeyHash.hash(token)
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.validUntil > now }
                if entries.count >= capacity, let soonest = entries.min(by: { $0.value.validUntil < $1.value.validUntil })?.key {
                    entries[soonest] = nil
                }
            }
            entries[hash] = verdict
        }
    }
}
