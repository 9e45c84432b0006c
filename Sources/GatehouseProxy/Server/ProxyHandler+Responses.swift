import GatehouseCore
import NIOCore
import NIOHTTP1

/// How exchanges end: the gateway's own error answers, the end of a relayed response, an
/// exchange abandoned midway — each recorded as exactly one outcome.
extension ProxyHandler {
    /// Answers `error`: at once when `closing` (the connection then closes) or the request has
    /// been read; otherwise after its body has been read and discarded, keeping the connection.
    func fail(_ exchange: Exchange, with error: GatewayError, closing: Bool) {
        disarmTimeout(exchange)
        releaseSlot(exchange, succeeded: true)
        if let connection = exchange.connection {
            exchange.connection = nil
            connection.delegate = nil
            connection.close()
        }
        if closing { exchange.closeAfterResponse = true }
        if closing || exchange.requestEnded {
            respond(exchange, with: error)
        } else {
            exchange.pendingError = error
            exchange.pendingBody.removeAll()
            setClientReadsPaused(false)
        }
    }

    /// Writes the gateway's JSON error response.
    func respond(_ exchange: Exchange, with error: GatewayError) {
        guard let context else { return }
        guard !exchange.responseStarted else {
            return abandon(exchange, status: exchange.status, message: error.message)
        }
        exchange.responseStarted = true
        exchange.status = Int(error.status.code)
        exchange.decision = error.decision
        exchange.errorMessage = exchange.errorMessage ?? error.message
        let body = ByteBuffer(string: error.body(requestID: exchange.requestID, at: loop.environment.now()))
        var headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", String(body.readableBytes)),
            ("X-Request-ID", exchange.requestID), ("X-Gateway", exchange.gateway?.gateway.name ?? "gatehouse"),
        ])
        for (name, value) in error.headers { headers.add(name: name, value: value) }
        for (name, value) in exchange.corsFields { headers.add(name: name, value: value) }
        exchange.rateLimitFields?.forEach { headers.add(name: $0, value: $1) }
        for (name, value) in exchange.versionFields { headers.add(name: name, value: value) }
        for (name, value) in SecurityHeaders.fields(for: exchange.routeEntry?.route.middlewareConfig ?? [], tls: exchange.isTLS) { headers.add(name: name, value: value) }
        headers.add(name: "Content-Security-Policy", value: SecurityHeaders.gatewayContentSecurityPolicy)
        ClientResponseHead.frame(&headers, status: error.status, for: exchange, draining: loop.activity.isDraining)
        exchange.responseBytes = body.readableBytes
        writeToClient(.head(HTTPResponseHead(version: exchange.head.version, status: error.status, headers: headers)), context: context)
        if !exchange.head.method.isHEAD { writeToClient(.body(.byteBuffer(body)), context: context) }
        endResponse(exchange, context: context)
    }

    /// Answers with `status`, no body and the exchange's CORS fields (a preflight).
    func respondEmpty(_ exchange: Exchange, status: HTTPResponseStatus, decision: RequestDecision) {
        guard let context, !exchange.responseStarted else { return }
        exchange.responseStarted = true
        exchange.status = Int(status.code)
        exchange.decision = decision
        var headers = HTTPHeaders([("X-Request-ID", exchange.requestID), ("X-Gateway", exchange.gateway?.gateway.name ?? "gatehouse")])
        for (name, value) in exchange.corsFields { headers.add(name: name, value: value) }
        for (name, value) in SecurityHeaders.fields(for: exchange.routeEntry?.route.middlewareConfig ?? [], tls: exchange.isTLS) { headers.add(name: name, value: value) }
        ClientResponseHead.frame(&headers, status: status, for: exchange, draining: loop.activity.isDraining)
        writeToClient(.head(HTTPResponseHead(version: exchange.head.version, status: status, headers: headers)), context: context)
        endResponse(exchange, context: context)
    }

    /// Writes the end of the response (with `trailers`): the last byte is handed to the client
    /// connection, the outcome recorded, and the connection closed after it or made ready for
    /// the next request.
    func endResponse(_ exchange: Exchange, trailers: HTTPHeaders? = nil, context: ChannelHandlerContext) {
        // A promise only when something waits for the write: closing the connection after it.
        let written = exchange.closeAfterResponse ? context.eventLoop.makePromise(of: Void.self) : nil
        writeToClient(.end(trailers), promise: written, context: context)
        flushClient(context)
        exchange.responseEnded = true
        disarmTimeout(exchange)
        disarmWriteStall(exchange)
        record(exchange)
        if let written {
            written.futureResult.assumeIsolated().whenComplete { _ in self.closeLingering(context) }
        }
        if exchange.requestEnded {
            complete(exchange)
        } else {
            setClientReadsPaused(false)  // read and discard the rest of the request
        }
    }

    /// Both directions are done: the connection is ready for its next request.
    func complete(_ exchange: Exchange) {
        guard self.exchange === exchange else { return }
        self.exchange = nil
        resumePipeline()
    }

    /// Ends an exchange that cannot finish normally (client gone, upstream broke mid-response,
    /// malformed input) and closes the client connection.
    func abandon(_ exchange: Exchange, status: Int, message: String) {
        disarmTimeout(exchange)
        disarmWriteStall(exchange)
        releaseSlot(exchange, succeeded: status == 499)
        if let connection = exchange.connection {
            exchange.connection = nil
            connection.delegate = nil
            connection.close()
        }
        exchange.status = status
        exchange.errorMessage = message
        exchange.responseEnded = true
        exchange.closeAfterResponse = true
        record(exchange)
        if self.exchange === exchange { self.exchange = nil }
        context?.close(promise: nil)
    }

    /// Writes the access log line and hands the outcome to the log writer (once; no outcome for
    /// a route test or preload).
    func record(_ exchange: Exchange) {
        guard !exchange.outcomeRecorded else { return }
        exchange.outcomeRecorded = true
        if exchange.cache?.ticket != nil { finishFill(exchange, storing: nil) }  // waiting requests go on without it
        loop.activity.requestFinished()
        loop.configuration.accessLog?.record(exchange, totalMicros: (NIODeadline.now() - exchange.started).nanoseconds / 1000)
        guard !exchange.isAdminRequest else { return }
        loop.environment.recordOutcome(OutcomeRecord.make(exchange))
    }
}
