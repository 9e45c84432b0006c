import GatehouseCache
import GatehouseCore
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The store itself: budget and LRU eviction, freshness, route revisions, fill tickets and
/// waiters, and the invalidation modes.
@Suite("cache: store")
struct ResponseCacheTests {
    let gateway = GatewayID()
    let route = RouteID()
    let revision = Timestamp(microseconds: 1)
    let start = Timestamp(microseconds: 1_800_000_000_000_000)

    func request(_ path: String, headers: ReceivedFields = [:], maxAge: Int? = nil, revision: Timestamp? = nil) -> CacheRequest {
        CacheRequest(
            primaryKey: "gw:\(path)|anonymous", resource: CacheResource(gatewayID: gateway, path: path), routeID: route,
            routeRevision: revision ?? self.revision, headers: headers, maxAge: maxAge
        )
    }

    func entry(_ path: String, bodyBytes: Int = 100, freshFor: Int = 60, at time: Timestamp? = nil, tags: [String] = [], key: String? = nil) -> CachedResponse {
        CachedResponse(
            key: key ?? "gw:\(path)|anonymous", routeID: route, routeRevision: revision, resource: CacheResource(gatewayID: gateway, path: path),
            status: .ok, headers: ["Content-Type": "application/json"], body: ByteBuffer(repeating: 0x61, count: bodyBytes),
            storedAt: time ?? start, initialAgeSeconds: 0, freshnessSeconds: freshFor, mustRevalidate: false, isPerConsumer: false,
            tags: tags, invalidatedBy: ["PUT"]
        )
    }

    /// Looks `path` up and, as the fetching request would, stores `stored` with the ticket.
    func fill(_ cache: ResponseCache, _ path: String, _ stored: CachedResponse, now: Timestamp? = nil) {
        guard case .fetch(let ticket?, _) = cache.lookup(request(path), now: now ?? start) else {
            Issue.record("expected a fill ticket for \(path)")
            return
        }
        cache.complete(ticket, storing: stored, primaryKey: "gw:\(path)|anonymous", varyNames: [], now: now ?? start)
    }

    @Test("a stored entry is fresh until its freshness lifetime (or the client's max-age) has passed")
    func freshness() {
        let cache = ResponseCache(shardCount: 1)
        fill(cache, "/a", entry("/a", freshFor: 60))
        guard case .fresh = cache.lookup(request("/a"), now: start.adding(seconds: 59)) else { return #expect(Bool(false)) }
        guard case .fetch(_, let stale?) = cache.lookup(request("/a"), now: start.adding(seconds: 61)) else { return #expect(Bool(false)) }
        #expect(stale.key == "gw:/a|anonymous")
        guard case .wait = cache.lookup(request("/a", maxAge: 10), now: start.adding(seconds: 20), waiter: {}) else {
            return #expect(Bool(false), "the first stale lookup holds the ticket; a second one waits")
        }
    }

    @Test("the sweep removes stale entries without validators, and those with validators after the grace period")
    func sweep() {
        let cache = ResponseCache(shardCount: 2)
        fill(cache, "/plain", entry("/plain", freshFor: 10))
        let validated = CachedResponse(
            key: "gw:/tagged|anonymous", routeID: route, routeRevision: revision, resource: CacheResource(gatewayID: gateway, path: "/tagged"),
            status: .ok, headers: ["ETag": "\"1\""], body: ByteBuffer(), storedAt: start, initialAgeSeconds: 0, freshnessSeconds: 10,
            mustRevalidate: false, isPerConsumer: false, tags: [], invalidatedBy: []
        )
        fill(cache, "/tagged", validated)
        #expect(cache.removeExpired(now: start.adding(seconds: 5)) == 0)
        #expect(cache.removeExpired(now: start.adding(seconds: 20), keepStale: 60) == 1)
        #expect(cache.contents().entries.map(\.key) == ["gw:/tagged|anonymous"])
        #expect(cache.removeExpired(now: start.adding(seconds: 100), keepStale: 60) == 1)
        #expect(cache.contents().counters.expirations == 2)
    }

    @Test("entries stored by another revision of the route are not served")
    func routeRevision() {
        let cache = ResponseCache(shardCount: 1)
        fill(cache, "/a", entry("/a"))
        guard case .fetch(_, nil) = cache.lookup(request("/a", revision: Timestamp(microseconds: 2)), now: start) else { return #expect(Bool(false)) }
        #expect(cache.contents().entries.isEmpty)
    }

    @Test("the byte budget evicts the least recently used entries first")
    func leastRecentlyUsedEviction() {
        let one = entry("/1", bodyBytes: 1000)
        let cache = ResponseCache(capacityBytes: one.size * 2 + 10, shardCount: 1)
        fill(cache, "/1", one)
        fill(cache, "/2", entry("/2", bodyBytes: 1000))
        guard case .fresh = cache.lookup(request("/1"), now: start) else { return #expect(Bool(false)) }  // /1 is now the most recent
        fill(cache, "/3", entry("/3", bodyBytes: 1000))
        let keys = Set(cache.contents().entries.map(\.key))
        #expect(keys == ["gw:/1|anonymous", "gw:/3|anonymous"])
        #expect(cache.contents().counters.evictions == 1)
        #expect(cache.contents().bytes <= cache.capacityBytes)
    }

    @Test("forms hits prepare (coded bodies, encoded heads) count in the byte budget while their entry is stored")
    func preparedFormsCharged() {
        let one = entry("/1", bodyBytes: 1000), two = entry("/2", bodyBytes: 1000)
        let cache = ResponseCache(capacityBytes: one.size * 2 + 10, shardCount: 1)
        fill(cache, "/1", one)
        fill(cache, "/2", two)
        guard case .fresh = cache.lookup(request("/2"), now: start) else { return #expect(Bool(false)) }  // /2 is the most recent

        let gzipped = CodedBody(ByteBuffer(repeating: 0x62, count: 600))
        #expect(cache.keep(gzipped, in: two.gzipped, of: two, now: start) === gzipped)
        // Over budget now: the least recently used entry goes.
        #expect(cache.contents().entries.map(\.key) == ["gw:/2|anonymous"])
        #expect(cache.contents().counters.evictions == 1)
        #expect(two.heldBytes == two.size + 600)
        #expect(cache.contents().bytes == two.heldBytes)

        // A second hit coding the same form keeps the first one's body and charges nothing.
        let again = CodedBody(ByteBuffer(repeating: 0x63, count: 500))
        #expect(cache.keep(again, in: two.gzipped, of: two, now: start) === gzipped)
        let head = EncodedHitHead(
            bytes: Array("HTTP/1.1 200 OK\r\n\r\n".utf8), gaps: [], circumstances: .init(gatewayName: "gw", service: "svc", isTLS: false),
            compressible: true
        )
        cache.keep(head, in: two.gzipped, of: two, now: start)
        #expect(two.heldBytes == two.size + 600 + head.heldBytes)
        #expect(cache.contents().bytes == two.heldBytes)

        // A soft purge keeps the entry without the forms; a hard one frees everything.
        _ = cache.invalidate(hard: false, now: start) { _ in true }
        let stale = cache.contents().entries
        #expect(stale.count == 1 && stale[0] !== two)
        #expect(cache.contents().bytes == two.size)
        let removal = cache.invalidate(hard: true, now: start) { _ in true }
        #expect(removal.bytes == two.size)
        #expect(cache.contents().bytes == 0)

        // A form kept for an entry no longer stored is handed back but charges nothing.
        let deflated = CodedBody(ByteBuffer(repeating: 0x64, count: 300))
        #expect(cache.keep(deflated, in: two.deflated, of: two, now: start) === deflated)
        #expect(cache.contents().bytes == 0)
    }

    @Test("removing an entry frees its prepared forms' bytes too")
    func removalFreesForms() {
        let cache = ResponseCache(shardCount: 1)
        let stored = entry("/a", bodyBytes: 2000)
        fill(cache, "/a", stored)
        _ = cache.keep(CodedBody(ByteBuffer(repeating: 0x61, count: 40)), in: stored.gzipped, of: stored, now: start)
        #expect(cache.contents().bytes == stored.size + 40)
        let removal = cache.invalidate(CacheResource(gatewayID: gateway, path: "/a"), method: "PUT")
        #expect(removal.keys == ["gw:/a|anonymous"])
        #expect(removal.bytes == stored.size + 40)
        #expect(cache.contents().bytes == 0)
    }

    @Test("a request for an entry being fetched waits, and is woken when the fetch completes")
    func coalescing() {
        let cache = ResponseCache(shardCount: 1)
        guard case .fetch(let ticket?, nil) = cache.lookup(request("/a"), now: start) else { return #expect(Bool(false)) }
        let woken = Mutex(0)
        for _ in 0 ..< 3 {
            guard case .wait = cache.lookup(request("/a"), now: start, waiter: { woken.withLock { $0 += 1 } }) else { return #expect(Bool(false)) }
        }
        guard case .fetch(nil, nil) = cache.lookup(request("/a"), now: start) else {
            return #expect(Bool(false), "without a waiter, a request fetches on its own and holds no ticket")
        }
        cache.complete(ticket, storing: entry("/a"), primaryKey: "gw:/a|anonymous", varyNames: [], now: start)
        #expect(woken.withLock { $0 } == 3)
        guard case .fresh = cache.lookup(request("/a"), now: start) else { return #expect(Bool(false)) }
    }

    @Test("an abandoned fetch wakes its waiters, and the next request fetches")
    func abandonedFetch() {
        let cache = ResponseCache(shardCount: 1)
        guard case .fetch(let ticket?, nil) = cache.lookup(request("/a"), now: start) else { return #expect(Bool(false)) }
        let woken = Mutex(false)
        _ = cache.lookup(request("/a"), now: start, waiter: { woken.withLock { $0 = true } })
        cache.complete(ticket, storing: nil, primaryKey: "gw:/a|anonymous", varyNames: [], now: start)
        #expect(woken.withLock { $0 })
        guard case .fetch(_?, nil) = cache.lookup(request("/a"), now: start) else { return #expect(Bool(false)) }
    }

    @Test("the upstream's Vary picks the variant by the request's fields")
    func variants() {
        let cache = ResponseCache(shardCount: 1)
        let english: ReceivedFields = ["Accept-Language": "en"]
        guard case .fetch(let ticket?, nil) = cache.lookup(request("/a", headers: english), now: start) else { return #expect(Bool(false)) }
        let key = CacheKey.variant("gw:/a|anonymous", varyingOn: ["accept-language"], request: english)
        #expect(key == "gw:/a|anonymous|accept-language=en")
        cache.complete(ticket, storing: entry("/a", key: key), primaryKey: "gw:/a|anonymous", varyNames: ["accept-language"], now: start)
        guard case .fresh = cache.lookup(request("/a", headers: english), now: start) else { return #expect(Bool(false)) }
        guard case .fetch(_?, nil) = cache.lookup(request("/a", headers: ["Accept-Language": "fr"]), now: start) else { return #expect(Bool(false)) }
    }

    @Test("an entry stored without Vary answers every request for its resource, even after a variant with Vary was stored beside it")
    func entryWithoutVary() {
        let cache = ResponseCache(shardCount: 1)
        fill(cache, "/a", entry("/a"))
        let french: ReceivedFields = ["Accept-Language": "fr"]
        let variant = CacheKey.variant("gw:/a|anonymous", varyingOn: ["accept-language"], request: french)
        cache.store(entry("/a", key: variant), primaryKey: "gw:/a|anonymous", varyNames: ["accept-language"], now: start)
        for headers: ReceivedFields in [[:], french, ["Accept-Language": "de"]] {
            guard case .fresh(let found) = cache.lookup(request("/a", headers: headers), now: start) else { return #expect(Bool(false)) }
            #expect(found.key == "gw:/a|anonymous")
        }
        // Once it is gone, requests are told apart by the field the upstream named.
        _ = cache.invalidate(hard: true, now: start) { $0.key == "gw:/a|anonymous" }
        guard case .fresh(let found) = cache.lookup(request("/a", headers: french), now: start) else { return #expect(Bool(false)) }
        #expect(found.key == variant)
        guard case .fetch(_?, nil) = cache.lookup(request("/a", headers: ["Accept-Language": "de"]), now: start) else { return #expect(Bool(false)) }
    }

    @Test("invalidation: a soft purge makes entries stale (kept for revalidation), a hard one frees their bytes; unsafe methods hit their resource only")
    func invalidation() {
        let cache = ResponseCache(shardCount: 4)
        for path in ["/a", "/b", "/c"] { fill(cache, path, entry(path, tags: path == "/c" ? [] : ["wedding-1"])) }
        let soft = cache.invalidate(hard: false, now: start) { $0.tags.contains("wedding-1") }
        #expect(Set(soft.keys) == ["gw:/a|anonymous", "gw:/b|anonymous"] && soft.bytes == 0)
        guard case .fetch(_, _?) = cache.lookup(request("/a"), now: start) else { return #expect(Bool(false)) }
        let hard = cache.invalidate(hard: true, now: start) { $0.key == "gw:/b|anonymous" }
        #expect(hard.keys == ["gw:/b|anonymous"] && hard.bytes == entry("/b").size)

        #expect(cache.invalidate(CacheResource(gatewayID: gateway, path: "/c"), method: "POST").keys.isEmpty)  // invalidate_on is PUT only
        #expect(cache.invalidate(CacheResource(gatewayID: gateway, path: "/c"), method: "PUT").keys == ["gw:/c|anonymous"])
        #expect(cache.contents().entries.map(\.key) == ["gw:/a|anonymous"])
    }
}
