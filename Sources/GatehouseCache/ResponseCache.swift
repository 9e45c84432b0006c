import GatehouseCore

/// The gateway's in-memory response cache, shared by every event loop: entries in shards by
/// resource (a gateway's request path), each shard under its own lock with an LRU list within
/// its share of the byte budget. Concurrent misses for one entry make one upstream request:
/// the first gets a fill ticket, the others wait for it.
public final class ResponseCache: Sendable {
    /// The byte budget, and the largest response stored.
    public let capacityBytes: Int
    public let maxEntryBytes: Int
    private let shards: [CacheShard]

    public init(capacityBytes: Int = 64 * 1024 * 1024, maxEntryBytes: Int = 1024 * 1024, shardCount: Int = 16) {
        self.capacityBytes = capacityBytes
        self.maxEntryBytes = maxEntryBytes
        let count = max(1, shardCount)
        shards = (0..<count).map { CacheShard(index: $0, capacity: capacityBytes / count) }
    }

    /// Looks `request` up. With a `waiter`, a request for an entry another request is fetching
    /// waits for it (``CacheLookup/wait``); without one it fetches on its own. The waiter is made
    /// only when the request is to wait (a hit or a miss never makes one).
    public func lookup(_ request: CacheRequest, now: Timestamp, waiter: @autoclosure () -> CacheWaiter? = nil) -> CacheLookup {
        shard(request.resource).lookup(request, now: now, waiter: waiter)
    }

    /// Ends the fetch `ticket` allowed, storing `entry` if it is given; then wakes the waiters.
    public func complete(_ ticket: CacheFillTicket, storing entry: CachedResponse?, primaryKey: String, varyNames: [String], now: Timestamp) {
        let waiters = shards[ticket.shard].complete(ticket, storing: entry, primary: primaryKey, varyNames: varyNames, now: now)
        for waiter in waiters { waiter() }
    }

    /// Stores `entry` outside a fetch.
    public func store(_ entry: CachedResponse, primaryKey: String, varyNames: [String], now: Timestamp) {
        shard(entry.resource).store(entry, primary: primaryKey, varyNames: varyNames, now: now)
    }

    /// Removes what a successful unsafe `method` request on `resource` invalidates (the
    /// routes' `invalidate_on`).
    public func invalidate(_ resource: CacheResource, method: String) -> CacheRemoval {
        shard(resource).invalidate(resource, method: method)
    }

    /// Removes (`hard`) or marks stale (a soft purge: the next request revalidates) every entry
    /// `selected` picks.
    public func invalidate(hard: Bool, now: Timestamp, where selected: (CachedResponse) -> Bool) -> CacheRemoval {
        var removal = CacheRemoval()
        for shard in shards { removal.add(shard.invalidate(hard: hard, now: now, selected: selected)) }
        return removal
    }

    /// Sweeps entries that can no longer be used (see ``CacheShard/removeExpired(now:keepStale:)``);
    /// returns how many went. Stale entries with validators are kept `keepStale` seconds for revalidation.
    @discardableResult
    public func removeExpired(now: Timestamp, keepStale: Int = 86_400) -> Int {
        shards.reduce(0) { $0 + $1.removeExpired(now: now, keepStale: keepStale) }
    }

    /// Keeps `body` as `entry`'s body in `form`'s content coding unless a hit kept one first,
    /// and charges what it keeps to the budget (see ``CacheShard/charge(_:bytes:now:)``);
    /// returns the body kept.
    public func keep(_ body: CodedBody, in form: HitForm, of entry: CachedResponse, now: Timestamp) -> CodedBody {
        let kept = form.codedBody.storeIfNil(body)
        if kept === body { shard(entry.resource).charge(entry, bytes: body.bytes.readableBytes, now: now) }
        return kept
    }

    /// Keeps `head` as `form`'s encoded head of `entry` unless a hit kept one first, and
    /// charges what it keeps to the budget.
    public func keep(_ head: EncodedHitHead, in form: HitForm, of entry: CachedResponse, now: Timestamp) {
        if form.head.storeIfNil(head) === head { shard(entry.resource).charge(entry, bytes: head.heldBytes, now: now) }
    }

    /// The entry stored under `key` for `resource`, fresh or not.
    public func entry(key: String, resource: CacheResource) -> CachedResponse? {
        shard(resource).entry(key: key)
    }

    /// Every entry and the counters, summed over shards.
    public func contents() -> (entries: [CachedResponse], bytes: Int, counters: CacheCounters) {
        var entries: [CachedResponse] = []
        var bytes = 0
        var counters = CacheCounters()
        for shard in shards {
            let part = shard.contents()
            entries += part.entries
            bytes += part.bytes
            counters.add(part.counters)
        }
        return (entries, bytes, counters)
    }

    private func shard(_ resource: CacheResource) -> CacheShard {
        shards[Int(UInt(bitPattern: resource.hashValue) % UInt(shards.count))]
    }
}
