import GatehouseCore
import Synchronization

/// One lock's worth of the cache: the entries of the resources that hash to it, in recency
/// order, within its share of the byte budget, and the fetches in flight for them.
final class CacheShard: Sendable {
    private let state: Mutex<State>
    let index: Int

    struct Stored {
        var entry: CachedResponse
        var primary: String
        var slot: Int
    }

    struct State {
        var stored: [String: Stored] = [:]
        var recency = LRUList<String>()
        /// The upstream's `Vary` names per primary key, and how many entries use them.
        var variants: [String: (names: [String], entries: Int)] = [:]
        var byResource: [CacheResource: Set<String>] = [:]
        var fills: [String: [CacheWaiter]] = [:]
        var bytes = 0
        let capacity: Int
        var counters = CacheCounters()
    }

    init(index: Int, capacity: Int) {
        self.index = index
        state = Mutex(State(capacity: capacity))
    }

    func lookup(_ request: CacheRequest, now: Timestamp, waiter: () -> CacheWaiter?) -> CacheLookup {
        state.withLock { state in
            // An entry stored under the primary key itself was stored without `Vary`, so it
            // answers any request for its resource (RFC 9111 §4.1): the common case costs one
            // lookup. Otherwise the key is the request's variant of it.
            var key = request.primaryKey
            var found = state.stored[key]
            if found == nil, let names = state.variants[key]?.names, !names.isEmpty {
                key = CacheKey.variant(key, varyingOn: names, request: request.headers)
                found = state.stored[key]
            }
            var stale: CachedResponse?
            if let found {
                if found.entry.routeID != request.routeID || found.entry.routeRevision != request.routeRevision {
                    state.remove(key)
                } else if found.entry.isFresh(at: now, maxAge: request.maxAge) {
                    state.recency.touch(found.slot)
                    state.counters.hits += 1
                    return .fresh(found.entry)
                } else {
                    stale = found.entry
                }
            }
            if state.fills[key] != nil {
                guard let waiter = waiter() else { return .fetch(ticket: nil, stale: stale) }
                state.fills[key]!.append(waiter)
                return .wait
            }
            if stale != nil { state.counters.stale += 1 } else { state.counters.misses += 1 }
            state.fills[key] = []
            return .fetch(ticket: CacheFillTicket(shard: index, key: key), stale: stale)
        }
    }

    /// Ends a fetch: stores `entry` (when given) and hands back the requests that waited.
    func complete(_ ticket: CacheFillTicket, storing entry: CachedResponse?, primary: String, varyNames: [String], now: Timestamp) -> [CacheWaiter] {
        state.withLock { state in
            if let entry, entry.size <= state.capacity {
                state.insert(entry, primary: primary, varyNames: varyNames, hour: Self.hour(of: now))
            }
            return state.fills.removeValue(forKey: ticket.key) ?? []
        }
    }

    /// Stores `entry` outside a fetch (a revalidated entry replacing its stale self).
    func store(_ entry: CachedResponse, primary: String, varyNames: [String], now: Timestamp) {
        state.withLock { state in
            guard entry.size <= state.capacity else { return }
            state.insert(entry, primary: primary, varyNames: varyNames, hour: Self.hour(of: now))
        }
    }

    /// Removes the entries of `resource` that a successful `method` request invalidates.
    func invalidate(_ resource: CacheResource, method: String) -> CacheRemoval {
        state.withLock { state in
            var removal = CacheRemoval()
            for key in state.byResource[resource] ?? [] where state.stored[key]?.entry.invalidatedBy.contains(method) == true {
                removal.keys.append(key)
                removal.bytes += state.remove(key)
            }
            state.counters.invalidations += removal.keys.count
            return removal
        }
    }

    /// Removes (`hard`) or marks stale the entries `selected` picks.
    func invalidate(hard: Bool, now: Timestamp, selected: (CachedResponse) -> Bool) -> CacheRemoval {
        state.withLock { state in
            var removal = CacheRemoval()
            for (key, found) in state.stored where selected(found.entry) {
                removal.keys.append(key)
                if hard {
                    removal.bytes += state.remove(key)
                } else if found.entry.isFresh(at: now) {
                    state.replace(key, with: found.entry.expired())
                }
            }
            state.counters.invalidations += removal.keys.count
            return removal
        }
    }

    /// Charges `count` bytes of a form prepared for `entry` while it is stored (nothing
    /// otherwise: the form goes with the entry's last reference), evicting the least recently
    /// used entries while the shard is over its budget.
    func charge(_ entry: CachedResponse, bytes count: Int, now: Timestamp) {
        state.withLock { state in
            guard state.stored[entry.key]?.entry === entry else { return }
            entry.formBytes.add(count, ordering: .relaxed)
            state.bytes += count
            state.evictLeastRecent(makingRoomFor: 0, hour: Self.hour(of: now))
        }
    }

    /// The hour `now` falls in, as the counters keep their hourly figures.
    private static func hour(of now: Timestamp) -> Int64 { now.microseconds / 3_600_000_000 }

    func entry(key: String) -> CachedResponse? {
        state.withLock { $0.stored[key]?.entry }
    }

    /// Removes entries that can no longer be used: stale and without a validator to revalidate
    /// them, or stale for longer than `keepStale` seconds.
    func removeExpired(now: Timestamp, keepStale: Int) -> Int {
        state.withLock { state in
            var removed = 0
            for (key, found) in state.stored where !found.entry.isFresh(at: now) {
                let entry = found.entry
                let staleFor = entry.ageSeconds(at: now) - entry.freshnessSeconds
                if (entry.entityTag == nil && entry.lastModified == nil) || staleFor > keepStale {
                    state.remove(key)
                    removed += 1
                }
            }
            state.counters.expirations += removed
            return removed
        }
    }

    /// The current entries and counters (for statistics).
    func contents() -> (entries: [CachedResponse], bytes: Int, counters: CacheCounters) {
        state.withLock { state in (state.stored.values.map(\.entry), state.bytes, state.counters) }
    }
}

extension CacheShard.State {
    mutating func insert(_ entry: CachedResponse, primary: String, varyNames: [String], hour: Int64) {
        if stored[entry.key] != nil { remove(entry.key) }
        evictLeastRecent(makingRoomFor: entry.heldBytes, hour: hour)
        let slot = recency.insert(entry.key)
        stored[entry.key] = CacheShard.Stored(entry: entry, primary: primary, slot: slot)
        variants[primary, default: (varyNames, 0)].names = varyNames
        variants[primary]!.entries += 1
        byResource[entry.resource, default: []].insert(entry.key)
        bytes += entry.heldBytes
        counters.noteStore(hour: hour)
    }

    /// Removes least recently used entries while `extra` more bytes would not fit the budget.
    mutating func evictLeastRecent(makingRoomFor extra: Int, hour: Int64) {
        while bytes + extra > capacity, let oldest = recency.leastRecent {
            remove(recency.element(at: oldest))
            counters.noteEviction(hour: hour)
        }
    }

    /// Puts `entry` in the place of the one stored under `key` (same key, recency and
    /// resource), the budget adjusted to what each holds.
    mutating func replace(_ key: String, with entry: CachedResponse) {
        bytes += entry.heldBytes - stored[key]!.entry.heldBytes
        stored[key]!.entry = entry
    }

    /// Removes the entry stored under `key`; returns the bytes freed.
    @discardableResult
    mutating func remove(_ key: String) -> Int {
        let found = stored.removeValue(forKey: key)!
        let freed = found.entry.heldBytes
        recency.remove(found.slot)
        bytes -= freed
        variants[found.primary]!.entries -= 1
        if variants[found.primary]!.entries == 0 { variants[found.primary] = nil }
        byResource[found.entry.resource]?.remove(key)
        if byResource[found.entry.resource]?.isEmpty == true { byResource[found.entry.resource] = nil }
        return freed
    }
}
