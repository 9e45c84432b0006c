import GatehouseCore
import NIOHTTP1

/// What a request asks the cache.
public struct CacheRequest: Sendable {
    /// The key before the upstream's `Vary` (see ``CacheKey/primary(gateway:path:query:pattern:parameters:dimensions:authenticated:isPerConsumer:)``).
    public var primaryKey: String
    public var resource: CacheResource
    /// The route serving the request and its revision: entries stored by another revision are not used.
    public var routeID: RouteID
    public var routeRevision: Timestamp
    /// The request's fields, for the upstream's `Vary`.
    public var headers: ReceivedFields
    /// The client's `max-age`, if it sent one.
    public var maxAge: Int?

    public init(primaryKey: String, resource: CacheResource, routeID: RouteID, routeRevision: Timestamp, headers: ReceivedFields, maxAge: Int?) {
        self.primaryKey = primaryKey
        self.resource = resource
        self.routeID = routeID
        self.routeRevision = routeRevision
        self.headers = headers
        self.maxAge = maxAge
    }
}

/// The cache's answer to a lookup.
public enum CacheLookup: Sendable {
    /// A fresh entry: serve it.
    case fresh(CachedResponse)
    /// Nothing fresh: fetch from the upstream (conditionally, when `stale` has validators) and
    /// then complete `ticket` — other requests for the same entry wait for it. `ticket` is
    /// `nil` when another request is already fetching and this one chose not to wait.
    case fetch(ticket: CacheFillTicket?, stale: CachedResponse?)
    /// Another request is fetching this entry; the waiter is called when it finishes.
    case wait
}

/// The right (and duty) to fill one cache entry: whoever holds it must complete it, storing a
/// response or not, so the requests waiting on it go on.
public struct CacheFillTicket: Sendable, Hashable {
    let shard: Int
    let key: String
}

/// Called once for a request that waited on another's fetch, on whatever thread completed it:
/// the entry may now be there — look again (and fetch without waiting if it is not).
public typealias CacheWaiter = @Sendable () -> Void

/// Entries the cache removed or expired, for the response and the `CacheInvalidated` event.
public struct CacheRemoval: Sendable, Equatable {
    public var keys: [String] = []
    /// Bytes given back to the budget (0 for entries only marked stale).
    public var bytes = 0

    public init(keys: [String] = [], bytes: Int = 0) {
        self.keys = keys
        self.bytes = bytes
    }

    mutating func add(_ other: CacheRemoval) {
        keys += other.keys
        bytes += other.bytes
    }
}
