import GatehouseCore
import NIOCore
import NIOHTTP1

/// Attempts: choosing an instance, leasing a connection, sending the request, relaying the
/// response, and deciding what a failure means (retry elsewhere, 502, 503 or 504).
extension ProxyHandler: UpstreamConnectionDelegate {
    func startAttempt(_ exchange: Exchange) {
        guard let gateway = exchange.gateway else { return }
        let choice = loop.acquire(
            gateway: gateway, service: exchange.service, instances: exchange.instances, client: exchange.clientLocation, excluding: exchange.tried
        )
        exchange.instance = choice.instance
        guard let instance = choice.instance else {
            if let message = exchange.errorMessage, exchange.retries > 0 {
                return fail(exchange, with: .badGateway(message), closing: false)
            }
            let retryAfter = choice.retryAt.map { max(1, Int(($0.microseconds - loop.environment.now().microseconds + 999_999) / 1_000_000)) }
            return fail(exchange, with: .unavailable(service: exchange.service, retryAfterSeconds: retryAfter), closing: false)
        }
        exchange.holdsPoolSlot = true
        guard let address = instance.address else {
            return attemptFailed(exchange, .connectFailed, message: "invalid service_url \(instance.serviceURL)")
        }
        let connectionLimit = loop.connectionLimit(maxConnections: instance.maxConnections)
        exchange.attemptStarted = .now()
        if let idle = loop.connections.takeIdle(address) {
            return connected(idle, for: exchange, basePath: address.basePath, authority: address.authority)
        }
        let connectTimeout = TimeAmount.milliseconds(Int64(max(1, gateway.gateway.timeoutConfig.connect)))
        loop.connections.lease(address, maxConnections: connectionLimit, connectTimeout: connectTimeout) { [self] result in
                switch result {
                case .success(let connection): connected(connection, for: exchange, basePath: address.basePath, authority: address.authority)
                case .failure(let error): connectFailed(error, for: exchange)
                }
        }
    }

    private func connected(_ connection: UpstreamConnection, for exchange: Exchange, basePath: String, authority: String) {
        guard self.exchange === exchange, !exchange.responseEnded, exchange.pendingError == nil else {
            loop.connections.release(connection, reusable: true)
            return
        }
        exchange.connection = connection
        connection.delegate = self
        writeUpstreamHead(for: exchange, to: connection, basePath: basePath, authority: authority)
        for part in exchange.pendingBody { connection.writeBody(part) }
        if !exchange.replayable { exchange.pendingBody.removeAll() }
        if exchange.requestEnded {
            connection.writeEnd()
            armTimeout(exchange)
        }
        connection.flush()
        setClientReadsPaused(!connection.isWritable)
    }

    private func connectFailed(_ error: any Error, for exchange: Exchange) {
        guard self.exchange === exchange, !exchange.responseEnded else { return }
        if error is UpstreamConnectionPool.Exhausted {
            releaseSlot(exchange, succeeded: true)
            return fail(exchange, with: .unavailable(service: exchange.service, retryAfterSeconds: 1), closing: false)
        }
        attemptFailed(exchange, .connectFailed, message: "cannot connect to \(exchange.service): \(error)")
    }

    /// Request fields that never reach an upstream: `Expect` (the gateway answers it) and the
    /// admin API's marks (see ``AdminRequestMarker``).
    private static let neverForwarded = ["expect", AdminRequestFields.routeTest, AdminRequestFields.cachePreload]

    /// Writes the request the upstream gets: the client's fields without the hop-by-hop ones,
    /// the gateway's marks and forged identity or forwarding fields; then the caller's identity,
    /// the forwarding fields, `Host`, `X-Request-ID` and trace context — gathered as one
    /// ``FieldRewrite`` and written in one pass over the client's fields — then the route's
    /// header transforms, when it has any (those edit the fields built in full).
    private func writeUpstreamHead(for exchange: Exchange, to connection: UpstreamConnection, basePath: String, authority: String) {
        let original = exchange.head.headers
        let chunked = original.contains(name: "transfer-encoding") && original[canonicalForm: "transfer-encoding"].contains { $0.lowercased() == "chunked" }
        let uri = basePath + upstreamTarget(exchange)
        loop.withFieldRewrite { rewrite in
            let hopByHop = exchange.hopByHop
            hopByHop.forEachName { name in
                if !(exchange.isUpgrade && (name == "upgrade" || name == "connection")) { rewrite.remove(name) }
            }
            if exchange.isUpgrade {
                rewrite.replace("connection", with: "upgrade")
                if let upgrade = original.first(name: "upgrade") { rewrite.replace("Upgrade", with: upgrade) }
            }
            let trace = exchange.trace ?? TraceContext.forward(original, random: &loop.random)
            exchange.trace = trace
            rewrite.remove(Self.neverForwarded)
            if !trace.keepsState { rewrite.remove("tracestate") }
            addCacheValidators(to: &rewrite, for: exchange)
            if let token = exchange.token {
                ConsumerHeaders.rewrite(token, into: &rewrite)
            } else {
                ConsumerHeaders.rewrite(exchange.keyStorage, replacing: exchange.credentialField, into: &rewrite)
            }
            // Fields a `Connection` field named are gone before the forwarding fields are read.
            ForwardingHeaders.rewrite(
                hopByHop.listed.isEmpty ? original : original.removing(hopByHop.listed), clientAddress: clientAddress, scheme: scheme, host: original.first(name: "host"), trustIncoming: peerIsTrusted, into: &rewrite
            )
            rewrite.replace("Host", with: authority)
            rewrite.replace("X-Request-ID", with: exchange.requestID)
            rewrite.remove("traceparent")
            guard let transforms = exchange.transforms else {
                if chunked { rewrite.add("Transfer-Encoding", "chunked") }
                // The trace context is written from its numbers, after the other fields.
                return connection.writeHead(
                    method: exchange.head.method, uri: uri, fields: RewrittenFields(original: original, rewrite: rewrite), trace: trace.context
                )
            }
            rewrite.add("traceparent", trace.context.header)
            var headers = rewrite.applied(to: original)
            HeaderEdits.apply(transforms.request, to: &headers)
            if let length = exchange.transformedRequestLength {
                JSONBodyTransform.markTransformed(&headers, length: length)
            } else if chunked {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            }
            connection.writeHead(method: exchange.head.method, uri: uri, fields: RewrittenFields(ReceivedFields(headers)), trace: nil)
        }
    }

    /// The request target sent upstream: the route's upstream path (rendered here, so a request
    /// answered before this point — from the cache, by a refusal — never renders it) and the
    /// query after the route's query edits.
    private func upstreamTarget(_ exchange: Exchange) -> String {
        let path = exchange.routeEntry?.upstreamPath(for: exchange.matchedPath, parameters: exchange.routeParameters) ?? exchange.matchedPath
        let query = exchange.transforms.map { Self.upstreamQuery(exchange.query, $0) } ?? String(exchange.query)
        return query.isEmpty ? path : path + "?" + query
    }

    /// Gives the upstream its read timeout (the instance's `timeout_ms`, else the gateway's
    /// `timeout_config.read`) to start answering; past it the attempt fails with a timeout.
    func armTimeout(_ exchange: Exchange) {
        guard let timeoutMS = exchange.instance?.timeoutMS, let gateway = exchange.gateway else { return }
        let milliseconds = timeoutMS > 0 ? timeoutMS : gateway.gateway.timeoutConfig.read
        exchange.readTimeoutMilliseconds = milliseconds
        loop.readDeadlines.arm(self, at: loop.eventLoop.now + .milliseconds(Int64(milliseconds)))
    }

    /// The upstream answered (or the attempt ended otherwise): no timeout.
    func disarmTimeout(_ exchange: Exchange) {
        guard exchange.readTimeoutMilliseconds != nil else { return }
        exchange.readTimeoutMilliseconds = nil
        loop.readDeadlines.disarm(self)
    }

    /// The deadline ``armTimeout(_:)`` set passed before the upstream's response began.
    func readDeadlinePassed() {
        guard let exchange, let milliseconds = exchange.readTimeoutMilliseconds else { return }
        exchange.readTimeoutMilliseconds = nil
        guard !exchange.responseStarted, let connection = exchange.connection else { return }
        exchange.connection = nil
        connection.delegate = nil
        connection.close()
        attemptFailed(exchange, .timedOut, message: "\(exchange.service) did not answer within \(milliseconds) ms")
    }

    /// Counts a failed attempt against its instance, then retries elsewhere or answers the error.
    func attemptFailed(_ exchange: Exchange, _ failure: UpstreamFailure, message: String) {
        disarmTimeout(exchange)
        stopBackendClock(exchange)
        releaseSlot(exchange, succeeded: false)
        exchange.errorMessage = message
        let policy = RetryPolicy(maxRetries: exchange.instance?.retryAttempts ?? 0)
        let resendable = failure == .connectFailed ? exchange.connection == nil : exchange.isRetryable
        if resendable, policy.shouldRetry(after: failure, method: exchange.method, retriesSoFar: exchange.retries),
           loop.retryBudget.tryRetry(at: loop.environment.now()) {
            exchange.retries += 1
            if let instanceID = exchange.instance?.id { exchange.tried.insert(instanceID) }  // the retry goes elsewhere
            let backoff = policy.backoffMilliseconds(beforeRetry: exchange.retries, using: &loop.random)
            loop.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(backoff))) { [self] in
                guard self.exchange === exchange, !exchange.responseEnded else { return }
                startAttempt(exchange)
            }
            return
        }
        switch failure {
        case .timedOut:
            fail(exchange, with: .gatewayTimeout(message), closing: false)
        case .status(let status):
            fail(exchange, with: .badGateway("\(exchange.service) answered \(status)"), closing: false)
        case .connectFailed, .connectionReset:
            fail(exchange, with: .badGateway(message), closing: !exchange.requestEnded)
        }
    }

    /// Ends the attempt's hold on its instance; the breaker counts the result.
    func releaseSlot(_ exchange: Exchange, succeeded: Bool) {
        guard exchange.holdsPoolSlot, let gateway = exchange.gateway, let instanceID = exchange.instance?.id else { return }
        exchange.holdsPoolSlot = false
        loop.release(gateway: gateway.gateway.id, service: exchange.service, instance: instanceID, succeeded: succeeded)
    }

    private func stopBackendClock(_ exchange: Exchange) {
        if let started = exchange.attemptStarted {
            exchange.backendNanoseconds += (NIODeadline.now() - started).nanoseconds
            exchange.attemptStarted = nil
        }
    }

    // MARK: UpstreamConnectionDelegate

    func upstream(_ connection: UpstreamConnection, received part: consuming UpstreamResponsePart) {
        guard let exchange, exchange.connection === connection, let context else { return }
        switch consume part {
        case .head(let head):
            if head.statusCode == 101, exchange.isUpgrade {
                disarmTimeout(exchange)
                exchange.upgrading = true
                return beginUpgrade(exchange, response: head.nioHead, context: context)
            }
            if head.statusCode < 200 { return }  // interim responses are not relayed
            disarmTimeout(exchange)
            let status = head.statusCode
            // The instance's retry policy is read only for a status that may be retried.
            if (502...504).contains(status), exchange.isRetryable,
               RetryPolicy(maxRetries: exchange.instance?.retryAttempts ?? 0)
                   .shouldRetry(after: .status(status), method: exchange.method, retriesSoFar: exchange.retries) {
                exchange.connection = nil
                connection.delegate = nil
                connection.close()
                return attemptFailed(exchange, .status(status), message: "\(exchange.service) answered \(status)")
            }
            let hopByHop = HopByHopHeaders.present(in: head)
            exchange.upstreamKeepAlive = hopByHop.keepsConnectionOpen(in: head.version)
            invalidateCache(after: exchange, status: status, response: head)
            if relaysAsReceived(head, for: exchange), let clientCodec {
                exchange.responseStarted = true
                exchange.status = status
                let gatewayName = exchange.gateway?.gateway.name ?? ""
                let draining = loop.activity.isDraining
                if clientCodec.writeEncodedHead({
                    ClientResponseHead.write(from: head, hopByHop: hopByHop, for: exchange, gatewayName: gatewayName, draining: draining, into: &$0)
                }) { return }
            }
            let nioHead = head.nioHead
            if cacheSawResponse(nioHead, for: exchange) { return }  // a 304 refreshed the stale entry: it is served at the end
            exchange.responseStarted = true
            exchange.status = status
            if holdResponseIfTransforming(exchange, head: nioHead) { return }  // written once the body is complete
            writeClientHead(nioHead, hopByHop: hopByHop, for: exchange, context: context)
        case .body(let buffer):
            relayBody(buffer, for: exchange, from: connection, context: context)
        case .lastBody(let buffer):
            relayBody(buffer, for: exchange, from: connection, context: context)
            upstreamResponseEnded(exchange, trailers: nil, from: connection, context: context)
        case .end(let trailers):
            upstreamResponseEnded(exchange, trailers: trailers, from: connection, context: context)
        }
    }

    /// A piece of the upstream's response body: to the cache, the held response or the client.
    private func relayBody(_ buffer: ByteBuffer, for exchange: Exchange, from connection: UpstreamConnection, context: ChannelHandlerContext) {
        if exchange.cache?.refreshed != nil { return }  // a 304 has no body
        cacheCollect(buffer, for: exchange)
        if exchange.heldResponse != nil { return holdResponseBody(buffer, for: exchange, context: context) }
        writeBody(buffer, for: exchange, context: context)
        if !clientWritable {
            connection.setReadsPaused(true)
            armWriteStall(exchange, peer: .client)
        }
    }

    /// The upstream's response ended: the connection goes back to the pool and the client's
    /// response ends (or, after a 101, the connections become a tunnel).
    private func upstreamResponseEnded(_ exchange: Exchange, trailers: HTTPHeaders?, from connection: UpstreamConnection, context: ChannelHandlerContext) {
        stopBackendClock(exchange)
        if exchange.upgrading {
            // Switch once the decoder has returned from this message.
            return loop.eventLoop.assumeIsolated().execute { [self] in completeUpgrade(exchange, upstream: connection) }
        }
        exchange.connection = nil
        releaseSlot(exchange, succeeded: exchange.status < 500)
        loop.connections.release(connection, reusable: exchange.upstreamKeepAlive && exchange.requestEnded)
        exchange.pendingBody.removeAll()
        cacheResponseEnded(for: exchange)
        if let refreshed = exchange.cache?.refreshed { return serveFromCache(exchange, refreshed, status: .expired, at: loop.environment.now()) }
        releaseHeldResponse(exchange, context: context)
        finishCompression(exchange, context: context)
        endResponse(exchange, trailers: trailers, context: context)
    }

    /// Whether `head` goes to the client from the bytes it arrived in, with the gateway's
    /// fields (``ClientResponseHead/write(from:hopByHop:for:gatewayName:draining:into:)``): an
    /// HTTP/1 client, and no step that reads or changes the response's fields — no cache, no
    /// transforms, and no compression (none configured, or the response has no body or one
    /// known to be too short for it).
    private func relaysAsReceived(_ head: UpstreamResponseHead, for exchange: Exchange) -> Bool {
        guard clientCodec != nil, exchange.head.version.major == 1, exchange.cache == nil, exchange.cacheStatus == .none,
              exchange.transforms == nil else { return false }
        guard let minimum = loop.configuration.compressionMinimumBytes, !exchange.isUpgrade else { return true }
        return exchange.head.method.isHEAD || !HTTPResponseStatus(statusCode: head.statusCode).mayHaveResponseBody
            || head.contentLength.map { $0 < minimum } ?? false
    }

    func upstream(_ connection: UpstreamConnection, failed error: any Error) {
        guard let exchange, exchange.connection === connection else { return }
        exchange.connection = nil
        if exchange.responseStarted {
            stopBackendClock(exchange)
            releaseSlot(exchange, succeeded: false)
            return abandon(exchange, status: exchange.status, message: "\(exchange.service) closed the connection mid-response")
        }
        attemptFailed(exchange, .connectionReset, message: "\(exchange.service) closed the connection: \(error)")
    }

    func upstreamWritabilityChanged(_ connection: UpstreamConnection) {
        guard exchange?.connection === connection else { return }
        setClientReadsPaused(!connection.isWritable)
        if connection.isWritable { disarmWriteStall(exchange) }
    }

    func upstreamReadComplete(_ connection: UpstreamConnection) {
        if let context { flushClient(context) }
    }
}
