import GatehouseCache
import GatehouseCore
import NIOCore
import NIOHTTP1

/// The cache step of the pipeline (after limits, before the upstream): fresh entries are served
/// from memory, concurrent misses for one entry wait for a single fetch, stale entries are
/// revalidated with their validators, storable responses are collected while they stream to
/// the client, and successful unsafe requests invalidate what their route's `invalidate_on` says.
extension ProxyHandler {
    /// Consults the cache for a request on `route`; `true` when the request is being answered
    /// from it (or waits for another request's fetch), `false` to go on to the upstream.
    func consultCache(_ exchange: Exchange, route entry: RouteTable.Entry, gateway: ConfigSnapshot.GatewayView) -> Bool {
        let config = entry.route.cacheConfig
        guard config.enabled else { return false }
        let method = exchange.head.method
        let control = CacheControl(exchange.head.headers)
        guard method.isGET || method.isHEAD, !exchange.isUpgrade, !Self.hasBody(exchange.head.headers), !control.noStore else {
            exchange.cacheStatus = .bypass
            return false
        }
        let dimensions = config.varyBy.map { ($0, dimensionValue($0, exchange)) }
        let isPerConsumer = config.varyBy.contains { Self.consumerDimensions.contains($0.lowercased()) }
        let authenticated = exchange.keyStorage != nil || exchange.token != nil || exchange.head.headers.contains(name: "authorization")
        let primaryKey = CacheKey.primary(
            gateway: gateway.gateway.name, path: exchange.path, query: exchange.query, pattern: config.cacheKeyPattern,
            parameters: exchange.routeParameters, dimensions: dimensions, authenticated: authenticated, isPerConsumer: isPerConsumer
        )
        let request = CacheRequest(
            primaryKey: primaryKey, resource: CacheResource(gatewayID: gateway.gateway.id, path: exchange.pathText), routeID: entry.route.id,
            routeRevision: entry.route.updatedAt, headers: exchange.head.headers, maxAge: control.maxAge
        )
        let visit = { CacheVisit(request: request, config: config, authenticated: authenticated, isPerConsumer: isPerConsumer) }
        if exchange.isPreload || control.noCache {
            // Fetched and stored again, whatever is there (the old entry keeps serving others meanwhile).
            exchange.cache = visit()
            exchange.cacheStatus = .miss
            return false
        }
        // The request's own time: it arrived a few microseconds ago, and the clock is not read again.
        return lookUpCache(exchange, request, at: exchange.startTime, mayWait: true, visit: visit)
    }

    /// Looks `request` up at `now`: serves a fresh entry, parks the request behind another's
    /// fetch, or prepares this one's fetch. Only a request that goes on (waits or fetches) keeps
    /// a ``CacheVisit``, made by `visit` (or already its own): a hit makes none.
    private func lookUpCache(_ exchange: Exchange, _ request: CacheRequest, at now: Timestamp, mayWait: Bool, visit: () -> CacheVisit) -> Bool {
        switch loop.cache.lookup(request, now: now, waiter: mayWait ? cacheWaiter(for: exchange) : nil) {
        case .fresh(let entry):
            serveFromCache(exchange, entry, status: .hit, at: now)
            return true
        case .wait:
            exchange.cache = visit()
            return true
        case .fetch(let ticket, let stale):
            let visit = visit()
            exchange.cache = visit
            visit.ticket = ticket
            visit.stale = stale
            exchange.cacheStatus = stale == nil ? .miss : .expired
            return false
        }
    }

    /// Wakes this request on its own event loop when the fetch it waited for ends.
    private func cacheWaiter(for exchange: Exchange) -> CacheWaiter {
        let bound = NIOLoopBound((self, exchange), eventLoop: loop.eventLoop)
        let eventLoop = loop.eventLoop
        return {
            eventLoop.execute {
                let (handler, exchange) = bound.value
                handler.cacheFetchEnded(for: exchange)
            }
        }
    }

    private func cacheFetchEnded(for exchange: Exchange) {
        guard self.exchange === exchange, !exchange.responseStarted, !exchange.responseEnded, let visit = exchange.cache else { return }
        visit.hasWaited = true
        if lookUpCache(exchange, visit.request, at: loop.environment.now(), mayWait: false, visit: { visit }) { return }
        forward(exchange)
    }

    /// The value of one `vary_by` dimension: a consumer identity or a request field.
    private func dimensionValue(_ name: String, _ exchange: Exchange) -> String {
        switch name.lowercased() {
        case "api_key": exchange.keyStorage?.value.id.description ?? "-"
        case "user_id": exchange.token?.subject ?? exchange.keyStorage?.value.ownerID ?? "-"
        case let field: exchange.head.headers[field].joined(separator: ",")
        }
    }

    /// `vary_by` entries that keep consumers' entries apart.
    static let consumerDimensions: Set<String> = ["api_key", "user_id", "authorization", "x-api-key"]

    private static func hasBody(_ headers: ReceivedFields) -> Bool {
        headers.contains(name: "transfer-encoding") || headers.first(name: "content-length").map { $0 != "0" } ?? false
    }

    // MARK: Serving

    /// Answers from `entry`: a 304 when the client's validators match, else the stored response
    /// with its `Age`. A plain hit (``sharesEncodedHead(_:status:)``) writes the head the entry
    /// keeps encoded for its form (as stored, gzip- or deflate-coded), filling in the request
    /// id, age and freshness (as of `now`); the first such hit of a form builds it.
    func serveFromCache(_ exchange: Exchange, _ entry: CachedResponse, status cacheStatus: CacheStatus, at now: Timestamp) {
        guard let context, !exchange.responseStarted else { return }
        exchange.cacheStatus = cacheStatus
        exchange.decision = .servedFromCache
        exchange.responseStarted = true
        let notModified = CacheValidators.clientHasCurrent(entry, request: exchange.head.headers)
        let gatewayName = exchange.gateway?.gateway.name ?? ""
        let age = entry.ageSeconds(at: now)
        let freshness = entry.remainingFreshness(at: now)
        let sharesHead = !notModified && sharesEncodedHead(exchange, status: cacheStatus)
        if sharesHead, let (encoded, body) = preparedForm(of: entry, for: exchange, gatewayName: gatewayName) {
            let written = clientCodec?.writeEncodedHead {
                encoded.write(into: &$0, requestID: exchange.requestID, age: age, freshness: freshness)
                return false  // framed by its `Content-Length`
            }
            if written == true {
                writeToClient(.body(.byteBuffer(body)), context: context)
                exchange.status = Int(entry.status.code)
                exchange.responseBytes += body.readableBytes
                return endResponse(exchange, context: context)
            }
        }
        let status: HTTPResponseStatus = notModified ? .notModified : entry.status
        var stored = entry.headers
        if notModified { CacheValidators.keepNotModifiedFields(&stored) }
        var body = notModified ? entry.body : transformedForClient(entry.body, status: status, headers: &stored, for: exchange)
        let upstreamHead = HTTPResponseHead(version: .http1_1, status: status, headers: stored)
        var coding: ContentCoding?
        let head = ClientResponseHead.make(from: upstreamHead, for: exchange, gatewayName: gatewayName, draining: loop.activity.isDraining) { headers in
            let held = entry.servingFieldsHeld
            CacheResponseFields.set(&headers, "Age", String(age), replacing: held.contains(.age))
            CacheResponseFields.apply(
                to: &headers, status: cacheStatus, freshness: freshness, isPerConsumer: entry.isPerConsumer,
                upstreamSetPolicy: held.contains(.cacheControl), held: held
            )
            if let transforms = exchange.transforms { HeaderEdits.apply(transforms.response, to: &headers) }
            // The stored body coded once serves every hit asking for that coding (not a
            // transformed one: that is compressed as it is written).
            coding = startCompression(exchange, status: status, headers: &headers)
            if let coding, exchange.transforms == nil, let stream = exchange.compressor {
                exchange.compressor = nil
                body = codedBody(of: entry, coding, stream: stream, allocator: context.channel.allocator)
                headers.add(name: "Content-Length", value: String(body.readableBytes))
            }
        }
        if sharesHead, entry.form(coding).head.load() == nil {
            encodeHead(head, of: entry, coding: coding, for: exchange, gatewayName: gatewayName, age: age, freshness: freshness)
        }
        exchange.status = Int(status.code)
        writeToClient(.head(head), context: context)
        if !exchange.head.method.isHEAD, !notModified { writeBody(body, for: exchange, context: context) }
        finishCompression(exchange, context: context)
        endResponse(exchange, context: context)
    }

    /// `entry`'s body in `coding`: kept with the entry (and charged to the cache's budget) by
    /// the first hit that asked for it, which codes it with `stream`.
    private func codedBody(of entry: CachedResponse, _ coding: ContentCoding, stream: DeflateStream, allocator: ByteBufferAllocator) -> ByteBuffer {
        let form = entry.form(coding)
        if let coded = form.codedBody.load() { return coded.bytes }
        let coded = CodedBody(stream.compress(entry.body, finish: true, allocator: allocator))
        return loop.cache.keep(coded, in: form, of: entry, now: loop.environment.now()).bytes
    }

    /// The encoded head and the body of the form a plain hit gets — as stored, or in the coding
    /// its client prefers when the entry is compressible — once an earlier hit prepared it for
    /// the same circumstances.
    private func preparedForm(of entry: CachedResponse, for exchange: Exchange, gatewayName: String) -> (EncodedHitHead, ByteBuffer)? {
        var coding: ContentCoding?
        // The client's codings matter unless the entry is known not to be compressible.
        if entry.asStored.head.load()?.compressible ?? true, loop.configuration.compressionMinimumBytes != nil {
            coding = ContentCoding.preferred(by: exchange.head.headers)
        }
        let form = entry.form(coding)
        guard let head = form.head.load(), head.circumstances.matches(gatewayName, exchange) else { return nil }
        guard coding != nil else { return (head, entry.body) }
        return form.codedBody.load().map { (head, $0.bytes) }
    }

    /// Whether a hit's head is the one its entry keeps encoded: nothing about the request changes
    /// it but its id (and the entry's age and freshness) — an HTTP/1.1 GET on a connection kept
    /// open, with no fields of its own (rate limits, versions, CORS, transforms, route tests).
    /// (Whether it is compressed is the entry's and the client's `Accept-Encoding`'s.)
    private func sharesEncodedHead(_ exchange: Exchange, status: CacheStatus) -> Bool {
        status == .hit && clientCodec != nil && exchange.head.version == .http1_1 && exchange.head.method.isGET && exchange.keepAlive
            && !exchange.closeAfterResponse && !loop.activity.isDraining && exchange.transforms == nil && !exchange.hasRateLimitFields
            && exchange.versionFields.isEmpty && exchange.corsFields.isEmpty && !exchange.isRouteTest
    }

    /// Keeps `head`, built for a hit that shares it (its body in `coding`, if any), encoded in
    /// `entry`'s form for the hits after it.
    private func encodeHead(
        _ head: HTTPResponseHead, of entry: CachedResponse, coding: ContentCoding?, for exchange: Exchange, gatewayName: String, age: Int, freshness: Int
    ) {
        let held = entry.servingFieldsHeld
        let compressible = coding != nil || loop.configuration.compressionMinimumBytes.map {
            CompressionPolicy.compressible(status: entry.status, headers: entry.headers, method: .GET, minimumBytes: $0)
        } ?? false
        let circumstances = EncodedHitHead.Circumstances(gatewayName: gatewayName, service: exchange.service, isTLS: exchange.isTLS)
        guard let encoded = EncodedHitHead(
            encoding: head, requestID: exchange.requestID, age: age, freshness: freshness, setsSurrogateControl: !entry.isPerConsumer,
            setsCacheControl: !held.contains(.cacheControl), circumstances: circumstances, compressible: compressible
        ) else { return }
        loop.cache.keep(encoded, in: entry.form(coding), of: entry, now: loop.environment.now())
    }

    /// The cache fields of a relayed response on a caching route: `X-Cache`, tag fields removed,
    /// and edge caching fields when the response is being stored.
    func addCacheFields(to headers: inout HTTPHeaders, for exchange: Exchange) {
        guard exchange.cacheStatus != .none else { return }
        _ = CacheResponseFields.removeTags(from: &headers)
        let collected = exchange.cache?.collecting
        CacheResponseFields.apply(
            to: &headers, status: exchange.cacheStatus, freshness: collected.map { max(0, $0.freshness.seconds - $0.freshness.initialAge) },
            isPerConsumer: exchange.cache?.isPerConsumer ?? false, upstreamSetPolicy: collected?.headers.contains(name: "cache-control") ?? true
        )
        if exchange.isPreload, let visit = exchange.cache {
            if let collected {
                let key = CacheKey.variant(visit.request.primaryKey, varyingOn: collected.varyNames, request: exchange.head.headers)
                headers.replaceOrAdd(name: AdminRequestFields.cacheKey, value: key)
            } else {
                headers.replaceOrAdd(name: AdminRequestFields.cacheRefusal, value: visit.refusal?.rawValue ?? "not_stored")
            }
        }
    }

    // MARK: Filling

    /// Adds the stale entry's validators to the upstream request, unless the client sent its own.
    func addCacheValidators(to rewrite: inout FieldRewrite, for exchange: Exchange) {
        guard let visit = exchange.cache, let stale = visit.stale, !CacheValidators.isConditional(exchange.head.headers) else { return }
        if let tag = stale.entityTag { rewrite.replace("If-None-Match", with: tag) }
        if let date = stale.lastModified { rewrite.replace("If-Modified-Since", with: date) }
        visit.sentConditional = stale.entityTag != nil || stale.lastModified != nil
    }

    /// Looks at the upstream's response head on a caching route: `true` when it is a 304 that
    /// refreshed the stale entry (the client gets the entry, not the 304). Otherwise decides
    /// whether the body is collected for storage.
    func cacheSawResponse(_ head: HTTPResponseHead, for exchange: Exchange) -> Bool {
        guard let visit = exchange.cache else { return false }
        let now = loop.environment.now()
        if head.status == .notModified, visit.sentConditional, let stale = visit.stale {
            let decision = StoragePolicy.decide(
                status: stale.status, headers: CachedResponse.updating(stale.headers, notModified: head.headers), routeTTL: visit.config.ttl,
                authenticated: visit.authenticated, isPerConsumer: visit.isPerConsumer
            )
            let freshness = (try? decision.get()) ?? StoragePolicy.Freshness(seconds: 0, mustRevalidate: true, initialAge: 0)
            visit.refreshed = stale.revalidated(with: head.headers, at: now, freshnessSeconds: freshness.seconds, mustRevalidate: freshness.mustRevalidate)
            return true
        }
        guard exchange.head.method.isGET else {
            finishFill(exchange, storing: nil)
            return false
        }
        switch StoragePolicy.decide(
            status: head.status, headers: head.headers, routeTTL: visit.config.ttl, authenticated: visit.authenticated, isPerConsumer: visit.isPerConsumer
        ) {
        case .failure(let refusal):
            visit.refusal = refusal
            finishFill(exchange, storing: nil)
            return false
        case .success(let freshness):
            var headers = head.headers
            HopByHopHeaders.remove(from: &headers)
            let tags = visit.config.tags + CacheResponseFields.removeTags(from: &headers)
            visit.collecting = CacheVisit.Collection(
                status: head.status, headers: headers, freshness: freshness, varyNames: CacheKey.varyNames(head.headers) ?? [], tags: tags,
                body: ByteBuffer()
            )
            return false
        }
    }

    /// Adds a piece of the upstream's body to the entry being collected; gives up on storing it
    /// once it outgrows the largest entry.
    func cacheCollect(_ buffer: ByteBuffer, for exchange: Exchange) {
        guard let visit = exchange.cache, visit.collecting != nil else { return }
        if visit.collecting!.body.readableBytes + buffer.readableBytes > loop.cache.maxEntryBytes {
            visit.collecting = nil
            finishFill(exchange, storing: nil)
            return
        }
        var piece = buffer
        visit.collecting!.body.writeBuffer(&piece)
    }

    /// The upstream's response ended: stores what was collected (or the refreshed entry).
    func cacheResponseEnded(for exchange: Exchange) {
        guard let visit = exchange.cache else { return }
        if let refreshed = visit.refreshed { return finishFill(exchange, storing: refreshed) }
        guard let collected = visit.collecting else { return finishFill(exchange, storing: nil) }
        visit.collecting = nil
        var headers = collected.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(collected.body.readableBytes))
        let entry = CachedResponse(
            key: CacheKey.variant(visit.request.primaryKey, varyingOn: collected.varyNames, request: exchange.head.headers),
            routeID: visit.request.routeID, routeRevision: visit.request.routeRevision, resource: visit.request.resource, status: collected.status,
            headers: headers, body: collected.body, storedAt: loop.environment.now(), initialAgeSeconds: collected.freshness.initialAge,
            freshnessSeconds: collected.freshness.seconds, mustRevalidate: collected.freshness.mustRevalidate, isPerConsumer: visit.isPerConsumer,
            tags: collected.tags, invalidatedBy: Set(visit.config.invalidateOn.map(\.rawValue))
        )
        finishFill(exchange, storing: entry, varyNames: collected.varyNames)
    }

    /// Completes the request's fill ticket (storing `entry` when given) so waiting requests go
    /// on; without a ticket, stores directly.
    func finishFill(_ exchange: Exchange, storing entry: CachedResponse?, varyNames: [String]? = nil) {
        guard let visit = exchange.cache else { return }
        let names = varyNames ?? CacheKey.varyNames(entry?.headers ?? [:]) ?? []
        let now = loop.environment.now()
        if let ticket = visit.ticket {
            visit.ticket = nil
            loop.cache.complete(ticket, storing: entry, primaryKey: visit.request.primaryKey, varyNames: names, now: now)
        } else if let entry {
            loop.cache.store(entry, primaryKey: visit.request.primaryKey, varyNames: names, now: now)
        }
    }

    /// After a successful unsafe request: removes the cached responses of its path (and of its
    /// `Location`/`Content-Location`, RFC 9111 §4.4) whose route invalidates on its method.
    func invalidateCache(after exchange: Exchange, status: Int, response: UpstreamResponseHead) {
        // The status and method first: most responses stop there, before the gateway is read.
        guard (200..<400).contains(status), !Self.isSafe(exchange.head.method), let gateway = exchange.gateway else { return }
        var paths = [exchange.pathText]
        for name in ["location", "content-location"] {
            if let target = response.first(name: name), target.hasPrefix("/") { paths.append(String(target.split(separator: "?")[0])) }
        }
        var removal = CacheRemoval()
        for path in Set(paths) {
            let removed = loop.cache.invalidate(CacheResource(gatewayID: gateway.gateway.id, path: path), method: exchange.method)
            removal.keys += removed.keys
            removal.bytes += removed.bytes
        }
        guard !removal.keys.isEmpty else { return }
        loop.environment.recordFacts([.cacheInvalidated(CacheInvalidation(
            selector: "method:\(exchange.method) \(exchange.path)", count: removal.keys.count, bytes: removal.bytes
        ))])
    }

    /// Safe methods (RFC 9110 §9.2.1) change nothing, so they invalidate nothing.
    private static func isSafe(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .OPTIONS, .TRACE: true
        default: false
        }
    }
}

extension CachedResponse {
    /// The form hits asking for `coding` get (as stored for none).
    func form(_ coding: ContentCoding?) -> HitForm {
        switch coding {
        case nil: asStored
        case .gzip: gzipped
        case .deflate: deflated
        }
    }
}
