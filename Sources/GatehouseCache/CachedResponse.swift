import GatehouseCore
import NIOCore
import NIOHTTP1
import Synchronization

/// A stored response: immutable once stored, shared by every event loop that serves it.
public final class CachedResponse: Sendable {
    /// The entry's cache key (what the admin API lists and invalidates).
    public let key: String
    /// The route that stored it, and that route's revision then: a changed route's entries are
    /// not served.
    public let routeID: RouteID
    public let routeRevision: Timestamp
    /// The gateway and request path it answers (for invalidation by unsafe requests).
    public let resource: CacheResource
    public let status: HTTPResponseStatus
    /// The upstream's fields, hop-by-hop fields and cache-tag fields removed.
    public let headers: HTTPHeaders
    public let body: ByteBuffer
    /// When it was stored (or last revalidated), and how old the upstream said it was then.
    public let storedAt: Timestamp
    public let initialAgeSeconds: Int
    /// How long it is fresh from `storedAt`, in seconds.
    public let freshnessSeconds: Int
    /// It must be revalidated before every use (`no-cache` from the upstream).
    public let mustRevalidate: Bool
    /// Stored for one consumer only (the route's `vary_by` names an identity): edges must not share it.
    public let isPerConsumer: Bool
    public let tags: [String]
    /// Unsafe methods whose success on `resource` removes it (the route's `invalidate_on`).
    public let invalidatedBy: Set<String>
    /// Bytes it occupies in the cache's budget as stored (body, fields and a fixed overhead).
    public let size: Int
    /// Bytes of the forms hits prepared for it since it was stored (encoded heads, coded
    /// bodies), charged to the budget too. Changed only under its shard's lock while stored.
    let formBytes = Atomic<Int>(0)
    /// Which of the fields a hit sets itself `headers` holds.
    public let servingFieldsHeld: ServingFields
    /// How hits send it: as stored, gzip-coded and deflate-coded, each form prepared by the
    /// first hit that needs it and kept through ``ResponseCache/keep(_:in:of:)``, which charges
    /// the form's bytes to the cache's budget.
    public let asStored = HitForm()
    public let gzipped = HitForm()
    public let deflated = HitForm()

    public init(
        key: String, routeID: RouteID, routeRevision: Timestamp, resource: CacheResource, status: HTTPResponseStatus, headers: HTTPHeaders,
        body: ByteBuffer, storedAt: Timestamp, initialAgeSeconds: Int, freshnessSeconds: Int, mustRevalidate: Bool, isPerConsumer: Bool,
        tags: [String], invalidatedBy: Set<String>
    ) {
        self.key = key
        self.routeID = routeID
        self.routeRevision = routeRevision
        self.resource = resource
        self.status = status
        self.headers = headers
        self.body = body
        self.storedAt = storedAt
        self.initialAgeSeconds = initialAgeSeconds
        self.freshnessSeconds = freshnessSeconds
        self.mustRevalidate = mustRevalidate
        self.isPerConsumer = isPerConsumer
        self.tags = tags
        self.invalidatedBy = invalidatedBy
        size = body.readableBytes + headers.reduce(key.utf8.count + 256) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        servingFieldsHeld = ServingFields(presentIn: headers)
    }

    /// Bytes it occupies in the cache's budget: as stored, and the forms prepared for hits.
    public var heldBytes: Int { size + formBytes.load(ordering: .relaxed) }

    /// Its age at `now` in whole seconds (RFC 9111 §4.2.3, simplified for one hop).
    public func ageSeconds(at now: Timestamp) -> Int {
        initialAgeSeconds + Int(max(0, now.microseconds - storedAt.microseconds) / 1_000_000)
    }

    /// Whether it may be served without asking the upstream at `now`; `maxAge` is the client's
    /// own `max-age` limit, if any.
    public func isFresh(at now: Timestamp, maxAge: Int? = nil) -> Bool {
        guard !mustRevalidate else { return false }
        let age = ageSeconds(at: now)
        if let maxAge, age > maxAge { return false }
        return age < freshnessSeconds
    }

    /// Seconds it stays fresh after `now` (0 when stale).
    public func remainingFreshness(at now: Timestamp) -> Int {
        mustRevalidate ? 0 : max(0, freshnessSeconds - ageSeconds(at: now))
    }

    /// The validators a conditional request can use.
    public var entityTag: String? { headers.first(name: "etag") }
    public var lastModified: String? { headers.first(name: "last-modified") }
    public var contentType: String {
        let type = HeaderElement.mediaType(headers.first(name: "content-type"))
        return type.isEmpty ? "none" : type
    }

    /// Stored fields updated by a 304's (all but the framing and content coding ones).
    public static func updating(_ stored: HTTPHeaders, notModified: HTTPHeaders) -> HTTPHeaders {
        var merged = stored
        for (name, value) in notModified where !["content-length", "content-encoding", "transfer-encoding"].contains(name.lowercased()) {
            merged.replaceOrAdd(name: name, value: value)
        }
        return merged
    }

    /// The same response, no longer fresh: the next request revalidates it (a soft purge).
    public func expired() -> CachedResponse {
        CachedResponse(
            key: key, routeID: routeID, routeRevision: routeRevision, resource: resource, status: status, headers: headers, body: body,
            storedAt: storedAt, initialAgeSeconds: initialAgeSeconds, freshnessSeconds: 0, mustRevalidate: mustRevalidate,
            isPerConsumer: isPerConsumer, tags: tags, invalidatedBy: invalidatedBy
        )
    }

    /// The same response revalidated at `now` by a 304 whose fields replace the stored ones
    /// (RFC 9111 §4.3.4), fresh for `freshnessSeconds` again.
    public func revalidated(with notModified: HTTPHeaders, at now: Timestamp, freshnessSeconds: Int, mustRevalidate: Bool) -> CachedResponse {
        CachedResponse(
            key: key, routeID: routeID, routeRevision: routeRevision, resource: resource, status: status,
            headers: Self.updating(headers, notModified: notModified), body: body,
            storedAt: now, initialAgeSeconds: 0, freshnessSeconds: freshnessSeconds, mustRevalidate: mustRevalidate, isPerConsumer: isPerConsumer,
            tags: tags, invalidatedBy: invalidatedBy
        )
    }
}

/// A gateway's request path: what an unsafe request invalidates, and how entries are sharded.
public struct CacheResource: Hashable, Sendable {
    public var gatewayID: GatewayID
    public var path: String

    public init(gatewayID: GatewayID, path: String) {
        self.gatewayID = gatewayID
        self.path = path
    }
}
