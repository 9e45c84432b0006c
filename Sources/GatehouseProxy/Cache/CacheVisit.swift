import GatehouseCache
import GatehouseCore
import NIOCore
import NIOHTTP1

/// The cache's part in one request on a caching route: what was looked up, the fill ticket
/// this request must complete, the stale entry it may revalidate, and the response body being
/// collected for storage.
final class CacheVisit {
    let request: CacheRequest
    let config: CacheConfig
    /// The request carried credentials, and whether the route's `vary_by` keeps consumers apart.
    let authenticated: Bool
    let isPerConsumer: Bool
    /// Held while this request fetches the entry others may be waiting for.
    var ticket: CacheFillTicket?
    /// An entry that is no longer fresh; its validators make the upstream request conditional.
    var stale: CachedResponse?
    /// The upstream request carried the stale entry's validators (a 304 refreshes the entry).
    var sentConditional = false
    /// Already woke once from waiting on another request's fetch (it does not wait twice).
    var hasWaited = false
    /// The response being collected for storage, once the upstream's head allowed it.
    var collecting: Collection?
    /// Why the upstream's response is not stored (reported to cache preloads).
    var refusal: StoragePolicy.Refusal?
    /// A 304 refreshed the stale entry: it is served when the upstream's response ends.
    var refreshed: CachedResponse?

    struct Collection {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var freshness: StoragePolicy.Freshness
        var varyNames: [String]
        var tags: [String]
        var body: ByteBuffer
    }

    init(request: CacheRequest, config: CacheConfig, authenticated: Bool, isPerConsumer: Bool) {
        self.request = request
        self.config = config
        self.authenticated = authenticated
        self.isPerConsumer = isPerConsumer
    }
}
