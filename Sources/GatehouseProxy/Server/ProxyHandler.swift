import GatehouseCore
import NIOCore
import NIOHTTP1

/// The proxy on one client connection: routes each request with the current snapshot, streams
/// it to an upstream instance over a pooled connection of the same event loop, and streams the
/// answer back — pausing reads on whichever side is ahead, so bodies never pile up in memory.
///
/// Requests on a connection are handled one at a time: pipelined ones wait in a queue (and the
/// client's reads pause) until the current response is done. Every request ends in exactly one
/// outcome handed to the log writer.
final class ProxyHandler: ChannelDuplexHandler, RemovableChannelHandler, DeadlineTimerTarget {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let loop: LoopContext
    /// `http` or `https`: what the client used (for `X-Forwarded-Proto`).
    let scheme: String
    var context: ChannelHandlerContext?
    var exchange: Exchange?
    private var readGate = ReadGate()
    /// Parts of requests that arrived while the previous one was still being answered (HTTP/1.1
    /// pipelining), and a parse error among them; handled in order once it completes.
    private var pipelined: [ClientRequestPart] = []
    private var pipelinedError: (any Error)?
    private(set) var clientAddress = ""
    private(set) var clientIP: ClientIP?
    /// The peer is a trusted proxy: its forwarding and location headers count.
    private(set) var peerIsTrusted = false
    /// Limited callers' fingerprints: the connection's address is hashed once.
    private var fingerprints = CallerFingerprintMemo()
    /// The connection is closing: the gateway's side is shut and the client's input is dropped
    /// (see ``closeLingering(_:)``).
    var isLingering = false
    /// The client channel's writability, as its last change said (reading the channel's own
    /// flag, an atomic in another object, costs a likely cache miss per read).
    private(set) var clientWritable = true
    /// Its place among the loop's read deadlines while one is armed (``DeadlineTimer``).
    var deadlineTimerSlot: Int?

    /// The HTTP/1 codec right before this handler (none on HTTP/2 streams): response parts are
    /// handed to it directly (``writeToClient(_:promise:context:)``), a cache hit's head encoded
    /// once (``EncodedHitHead``), a relayed upstream head as it arrived.
    let clientCodec: HTTP1ServerCodec?

    init(loop: LoopContext, scheme: String = "http", clientCodec: HTTP1ServerCodec? = nil) {
        self.loop = loop
        self.scheme = scheme
        self.clientCodec = clientCodec
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientWritable = context.channel.isWritable
        clientCodec?.receiver = self
        if let remote = context.channel.remoteAddress ?? context.channel.parent?.remoteAddress {
            clientAddress = remote.ipAddress ?? ""
            clientIP = ClientIP(remote)
            peerIsTrusted = loop.configuration.trustedProxies.contains(clientIP)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        clientCodec?.receiver = nil
    }

    /// Writes a response part to the client: handed straight to the HTTP/1 codec before this
    /// handler when there is one (no wrapping for the pipeline's trip), else through the pipeline.
    func writeToClient(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>? = nil, context: ChannelHandlerContext) {
        if let clientCodec, clientCodec.writeDirectly(part, promise: promise) { return }
        context.write(wrapOutboundOut(part), promise: promise)
    }

    /// Flushes what was written to the client (at the end of the loop's tick on HTTP/1).
    func flushClient(_ context: ChannelHandlerContext) {
        if let clientCodec, clientCodec.flushDirectly() { return }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received(ClientRequestPart(unwrapInboundIn(data)))
    }

    /// A part of a request from the client: through the pipeline, or handed over directly by
    /// the HTTP/1 codec right before this handler (``HTTP1ServerCodec/receiver``).
    func received(_ part: consuming ClientRequestPart) {
        if isLingering { return }
        if case .head = part, let exchange, exchange.requestEnded {
            pipelined.append(part)
        } else if !pipelined.isEmpty {
            pipelined.append(part)
        } else {
            return handle(part)
        }
        // Hold the client back until the current response is done (the queue stays short).
        setClientReadsPaused(true)
    }

    private func handle(_ part: consuming ClientRequestPart) {
        switch consume part {
        case .head(let head): begin(head)
        case .body(let buffer): receiveBody(buffer)
        case .end: receiveEnd()
        }
    }

    /// Takes up queued pipelined requests after the current exchange completed.
    func resumePipeline() {
        while let next = pipelined.first {
            if case .head = next, exchange != nil { return }  // the next request waits for this one
            pipelined.removeFirst()
            handle(next)
        }
        if let error = pipelinedError, exchange == nil {
            pipelinedError = nil
            return parseFailed(error)
        }
        setClientReadsPaused(false)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        exchange?.connection?.flush()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let exchange, !exchange.responseEnded {
            abandon(exchange, status: 499, message: "client closed the connection")
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if isLingering { return }  // the codec refusing the input being drained
        guard error is HTTP1ParseError else {
            // The connection failed (reset, TLS error): nothing more can be sent.
            if let exchange, !exchange.responseEnded {
                abandon(exchange, status: 499, message: "client connection failed: \(error)")
            }
            context.close(promise: nil)
            return
        }
        if let exchange, exchange.requestEnded, !exchange.responseEnded {
            // It belongs to a pipelined request: answer it after the current response.
            pipelinedError = error
            setClientReadsPaused(true)
            return
        }
        parseFailed(error)
    }

    /// Unparseable input (bad chunking, obs-fold, invalid tokens, ambiguous framing): the spec's
    /// JSON 400 (431 for a head over the limit) with a request id when no response has started,
    /// and the connection closes either way.
    private func parseFailed(_ error: any Error) {
        let exchange = self.exchange ?? {
            loop.activity.requestStarted()
            let now = loop.environment.now()
            let unparsed = Exchange(
                head: ClientRequestHead(method: .init(rawValue: "?"), uri: "?", version: .http1_1, headers: ReceivedFields([])),
                requestID: newRequestID(at: now), startTime: now
            )
            unparsed.clientIP = clientIP
            self.exchange = unparsed
            return unparsed
        }()
        if exchange.responseEnded {
            context?.close(promise: nil)
        } else if exchange.responseStarted {
            abandon(exchange, status: exchange.status, message: "malformed request: \(error)")
        } else if case .headTooLarge = error as? HTTP1ParseError {
            fail(exchange, with: .headersTooLarge(limit: loop.configuration.maxHeaderBytes), closing: true)
        } else {
            fail(exchange, with: .badRequest("malformed request: \(error)"), closing: true)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        clientWritable = context.channel.isWritable
        exchange?.connection?.setReadsPaused(!clientWritable)
        if clientWritable { disarmWriteStall(exchange) }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readGate.admitRead() { context.read() }
    }

    /// Holds back (or lets through) reads from the client.
    func setClientReadsPaused(_ paused: Bool) {
        if readGate.setClosed(paused) { context?.read() }
    }

    // MARK: Request

    /// Takes `head` over: the exchange keeps it, moved rather than copied.
    private func begin(_ head: consuming ClientRequestHead) {
        // The fields read through one local, not the exchange's property at each use.
        let headers = head.headers
        let incomingID = headers.first(name: "x-request-id")
        let now = loop.environment.now()  // read once: the id's time and the request's start
        let requestID = incomingID.flatMap { RequestID.isAcceptable($0[...]) ? $0 : nil } ?? newRequestID(at: now)
        let exchange = Exchange(head: head, requestID: requestID, startTime: now)
        exchange.clientIP = clientIP
        switch loop.configuration.adminRequests?.kind(of: headers) {
        case .routeTest?: exchange.isRouteTest = true
        case .cachePreload?: exchange.isPreload = true
        case nil: break
        }
        exchange.isTLS = scheme == "https"
        if peerIsTrusted {
            exchange.clientIP = loop.configuration.trustedProxies.originalClient(peer: clientIP, forwardedFor: headers[canonicalForm: "x-forwarded-for"])
            exchange.clientLocation = ClientLocation.from(headers)
            (exchange.country, exchange.city) = ClientLocation.place(from: headers)
        }
        if let table = loop.configuration.geoTable, let ip = exchange.clientIP, let place = table.location(of: ip) {
            exchange.country = exchange.country ?? place.country
            exchange.city = exchange.city ?? place.city
            if exchange.clientLocation == nil, let latitude = place.latitude, let longitude = place.longitude {
                exchange.clientLocation = GeoPoint(latitude: latitude, longitude: longitude)
            }
        }
        self.exchange = exchange
        loop.activity.requestStarted()
        if headers.byteCount > loop.configuration.maxHeaderBytes {
            return fail(exchange, with: .headersTooLarge(limit: loop.configuration.maxHeaderBytes), closing: true)
        }
        // A head read by the HTTP/1 codec had its values and framing checked there: only one
        // that declares a body is looked at again, for its length.
        do {
            if clientCodec == nil || MessageFraming.namesFraming(headers),
               let length = try MessageFraming.check(headers), length > loop.configuration.maxBodyBytes {
                return fail(exchange, with: .bodyTooLarge(limit: loop.configuration.maxBodyBytes), closing: true)
            }
        } catch {
            return fail(exchange, with: .badRequest(error.description), closing: true)
        }
        guard exchange.path.utf8.first == UInt8(ascii: "/"), !RequestPath.hasDotSegments(exchange.path) else {
            return fail(exchange, with: .badRequest("request target must be an absolute path without dot segments"), closing: true)
        }
        route(exchange)
    }

    private func route(_ exchange: Exchange) {
        let snapshot = loop.snapshot()
        let host = exchange.head.headers.first(name: "host") ?? ""
        let path = exchange.pathText
        guard let gateway = snapshot.gateway(host: host, path: path) else {
            return fail(exchange, with: .noGateway(host: host), closing: false)
        }
        exchange.gateway = gateway
        var routedPath = path
        if !gateway.pathPrefix.isEmpty, routedPath.hasPrefix(gateway.pathPrefix) {
            routedPath = String(routedPath.dropFirst(gateway.pathPrefix.count))
            if routedPath.isEmpty { routedPath = "/" }
        }
        if let rules = gateway.ipRestriction, !rules.permits(exchange.clientIP) {
            return fail(exchange, with: .ipDenied(exchange.clientIP), closing: false)
        }
        let cors = gateway.gateway.corsConfig
        if !cors.allowedOrigins.isEmpty {
            if CORSPolicy.isPreflight(exchange.head) { return answerPreflight(exchange, cors: cors, gateway: gateway, path: routedPath) }
            exchange.corsFields = CORSPolicy.responseFields(cors, origin: exchange.head.headers.first(name: "origin"))
        }
        let match: RouteTable.Lookup
        switch negotiateVersion(exchange, gateway: gateway, path: routedPath) {
        case .success(let found): match = found
        case .failure(let error): return fail(exchange, with: error, closing: false)
        }
        switch match {
        case .notFound:
            fail(exchange, with: .noRoute(method: exchange.method, path: path), closing: false)
        case .methodNotAllowed(let allowed):
            fail(exchange, with: .methodNotAllowed(exchange.method, allowed: allowed), closing: false)
        case .found(let entry, let parameters, let matchedPath):
            exchange.routeEntry = entry
            exchange.routeParameters = parameters
            exchange.matchedPath = matchedPath
            if let version = entry.route.apiVersionID.flatMap({ gateway.versions.byID[$0] }) {
                exchange.versionFields = VersionFields.fields(for: version)
                if let sunset = version.sunsetDate, sunset <= exchange.startTime {
                    return fail(exchange, with: .versionSunset(version), closing: false)
                }
            }
            if let rules = gateway.ipRestriction(of: entry.route.id), !rules.permits(exchange.clientIP) {
                return fail(exchange, with: .ipDenied(exchange.clientIP), closing: false)
            }
            // The steps take the shared entry, not its `Route`: passing a ~20-field route by
            // value copies (retains) every field of it.
            authorize(exchange, for: entry, snapshot: snapshot, gateway: gateway)
        }
    }

    /// After access control: limits, the route's pool, the cache, then the first upstream attempt.
    func proceed(_ exchange: Exchange, route entry: RouteTable.Entry, snapshot: ConfigSnapshot, gateway: ConfigSnapshot.GatewayView) {
        guard withinLimits(exchange, route: entry, snapshot: snapshot) else { return }
        guard let pool = entry.pool else {
            return fail(exchange, with: .unavailable(service: "the route's service", retryAfterSeconds: nil), closing: false)
        }
        exchange.service = pool.name
        exchange.instances = pool.instances
        exchange.transforms = gateway.transforms(of: entry.route.id)
        if !exchange.isAdminRequest, let signing = gateway.signing(of: entry.route.id) {
            guard checkSignature(exchange, signing) else { return }
        }
        if consultCache(exchange, route: entry, gateway: gateway) { return }
        forward(exchange)
    }

    /// On to the upstream (the cache could not answer).
    func forward(_ exchange: Exchange) {
        loop.retryBudget.recordRequest(at: exchange.startTime)
        continueIfExpected(exchange)
        holdRequestBodyIfTransforming(exchange)
        if exchange.signedBody != nil || exchange.heldBodyLimit != nil, !exchange.requestEnded {
            exchange.awaitingBody = true
            return
        }
        startAttemptAfterDigest(exchange)
    }

    /// Answers a CORS preflight for a path that has a route for the requested method: 204 with
    /// the allowed origin, methods and headers, or 403 naming what is not allowed.
    private func answerPreflight(_ exchange: Exchange, cors: CORSConfig, gateway: ConfigSnapshot.GatewayView, path: String) {
        let requested = (exchange.head.headers.first(name: "access-control-request-method") ?? "").uppercased()
        switch CORSPolicy.preflight(cors, headers: exchange.head.headers) {
        case .failure(let refusal):
            exchange.corsFields = CORSPolicy.responseFields(cors, origin: exchange.head.headers.first(name: "origin"))
            fail(exchange, with: GatewayError(
                status: .forbidden, code: refusal.rawValue, message: "CORS preflight refused: \(refusal.rawValue.replacingOccurrences(of: "_", with: " "))",
                decision: .forbidden
            ), closing: false)
        case .success(let fields):
            guard gateway.routes.lookup(method: requested, path: path).isFound else {
                return fail(exchange, with: .noRoute(method: requested, path: exchange.pathText), closing: false)
            }
            exchange.corsFields = fields
            respondEmpty(exchange, status: .noContent, decision: .preflight)
        }
    }

    /// Checks the request against its limits; on refusal answers 429 and returns `false`. A
    /// shadow-mode violation is recorded and the request passes. Route tests are not limited.
    private func withinLimits(_ exchange: Exchange, route entry: RouteTable.Entry, snapshot: ConfigSnapshot) -> Bool {
        guard !exchange.isAdminRequest else { return true }
        // The key's parts read where they are: the key as a whole is a large value to copy.
        let quota = (exchange.keyStorage?.value.usageQuota).flatMap { $0.daily != nil || $0.monthly != nil ? $0 : nil }
        let plan = loop.limitPlan(for: entry, tier: exchange.keyStorage?.value.rateLimitTier, quota: quota, snapshot: snapshot)
        guard !plan.rules.isEmpty else { return true }
        let fingerprint = fingerprints.fingerprint(key: exchange.keyStorage?.value.id, subject: exchange.token?.subject, clientIP: exchange.clientIP)
        let result = loop.limiter.check(plan, fingerprint: fingerprint, now: exchange.startTime.microseconds)
        let refusal = result.refusal, wouldRefuse = result.shadowViolation != nil
        exchange.keep(limits: result)
        exchange.limitPlan = plan
        if let refusal {
            let code = refusal.rule.isQuota ? "quota_exceeded" : "rate_limited"
            let caller = LimitCaller(key: exchange.keyStorage?.value.id, subject: exchange.token?.subject, clientIP: exchange.clientIP)
            exchange.errorMessage = "\(code): \(refusal.rule.id) (\(refusal.counted)/\(refusal.rule.quota) per \(refusal.rule.windowName)) for \(caller)"
            fail(exchange, with: .rateLimited(refusal), closing: false)
            return false
        }
        if wouldRefuse { exchange.decision = .shadowWouldLimit }
        return true
    }

    /// `Expect: 100-continue`: the request was routed and its declared size accepted, so the
    /// client may send the body now (the field itself is not forwarded — the gateway, not the
    /// upstream, decides whether the body is welcome).
    private func continueIfExpected(_ exchange: Exchange) {
        guard exchange.head.version.isAtLeastHTTP11, exchange.head.version.major < 2, !exchange.requestEnded,
              exchange.head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }),
              let context else { return }
        writeToClient(.head(HTTPResponseHead(version: exchange.head.version, status: .continue)), context: context)
        flushClient(context)
    }

    private func receiveBody(_ buffer: ByteBuffer) {
        guard let exchange else { return }
        exchange.requestBytes += buffer.readableBytes
        if exchange.responseEnded || exchange.pendingError != nil { return }
        if exchange.requestBytes > loop.configuration.maxBodyBytes {
            if exchange.responseStarted {
                return abandon(exchange, status: exchange.status, message: "request body exceeded the limit mid-stream")
            }
            return fail(exchange, with: .bodyTooLarge(limit: loop.configuration.maxBodyBytes), closing: true)
        }
        if exchange.requestBytes > loop.configuration.replayableBodyBytes { exchange.replayable = false }
        if let connection = exchange.connection {
            connection.writeBody(buffer)
            if exchange.replayable { exchange.pendingBody.append(buffer) }
            if !connection.isWritable {
                setClientReadsPaused(true)
                armWriteStall(exchange, peer: .upstream)
            }
        } else {
            // Still connecting: buffer, but stop reading once a replay buffer's worth is waiting —
            // unless the body is signed: then all of it is held (up to its limit) to be checked.
            exchange.pendingBody.append(buffer)
            if let limit = exchange.signedBody?.limit ?? exchange.heldBodyLimit {
                if exchange.requestBytes > limit { return fail(exchange, with: .bodyTooLarge(limit: limit), closing: true) }
            } else if !exchange.replayable {
                setClientReadsPaused(true)
            }
        }
    }

    private func receiveEnd() {
        guard let exchange else { return }
        exchange.requestEnded = true
        if let error = exchange.pendingError {
            exchange.pendingError = nil
            return respond(exchange, with: error)
        }
        if exchange.responseEnded {
            return complete(exchange)
        }
        if exchange.awaitingBody {
            exchange.awaitingBody = false
            return startAttemptAfterDigest(exchange)
        }
        if let connection = exchange.connection {
            connection.writeEnd()
            connection.flush()
            armTimeout(exchange)
        }
    }

    /// A new request id for a request that began at `time`.
    func newRequestID(at time: Timestamp) -> String {
        RequestID.generate(at: time, using: &loop.random)
    }
}
