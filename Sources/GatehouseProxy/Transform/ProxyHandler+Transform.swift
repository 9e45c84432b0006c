import GatehouseCore
import NIOCore
import NIOHTTP1

/// A relayed response whose body is collected to be transformed before anything is sent.
struct HeldResponse {
    var head: HTTPResponseHead
    var parts: [ByteBuffer] = []
    var bytes = 0
}

/// The route's `transformation_config` on the proxy path: query and header edits on the way up
/// and down, JSON body steps on whole bodies within `--transform-max-body-bytes` (the request
/// body is held before the upstream is contacted; the response is held before its head is
/// sent) — anything else passes through untouched and the outcome says why.
extension ProxyHandler {
    /// The query sent upstream after the route's `query` steps.
    static func upstreamQuery(_ query: Substring, _ transforms: RouteTransforms) -> String {
        var query = String(query)
        for case .query(let edits) in transforms.request { query = edits.apply(toQuery: query[...]) }
        return query
    }

    /// Holds the request body for the route's JSON steps when it is a JSON body of known length
    /// within the limit; otherwise notes why it is not transformed.
    func holdRequestBodyIfTransforming(_ exchange: Exchange) {
        guard let transforms = exchange.transforms, JSONBodyTransform.hasBodySteps(transforms.request) else { return }
        let headers = exchange.head.headers
        let declaredLength = headers.first(name: "content-length")
        guard declaredLength.flatMap(Int.init).map({ $0 > 0 }) ?? headers.contains(name: "transfer-encoding") else { return }  // no body
        let limit = loop.configuration.transformMaxBodyBytes
        if let skip = JSONBodyTransform.eligibility(
            contentType: headers.first(name: "content-type"), contentLength: declaredLength, limit: limit, lengthRequired: true
        ) {
            exchange.transformNote = "request \(skip)"
            return
        }
        exchange.heldBodyLimit = limit
    }

    /// Replaces a held request body by its transform (before the first attempt).
    func transformHeldRequestBody(_ exchange: Exchange) {
        guard exchange.heldBodyLimit != nil, let transforms = exchange.transforms else { return }
        switch JSONBodyTransform.apply(transforms.request, to: exchange.pendingBody, query: exchange.query) {
        case .success(let body):
            exchange.pendingBody = [body]
            exchange.transformedRequestLength = body.readableBytes
        case .failure(let skip):
            exchange.transformNote = "request \(skip)"
        }
    }

    /// Starts holding the response when the route transforms its body and it qualifies: a 2xx
    /// JSON response within the limit (or of unknown length, until it outgrows the limit).
    func holdResponseIfTransforming(_ exchange: Exchange, head: HTTPResponseHead) -> Bool {
        guard let transforms = exchange.transforms, JSONBodyTransform.hasBodySteps(transforms.response),
              (200 ..< 300).contains(head.status.code), head.status.mayHaveResponseBody, !exchange.head.method.isHEAD else { return false }
        if let skip = JSONBodyTransform.eligibility(
            contentType: head.headers.first(name: "content-type"), contentLength: head.headers.first(name: "content-length"),
            limit: loop.configuration.transformMaxBodyBytes, lengthRequired: false
        ) {
            exchange.transformNote = "response \(skip)"
            return false
        }
        exchange.heldResponse = HeldResponse(head: head)
        return true
    }

    /// Collects a piece of a held response; past the limit the response goes out untouched.
    func holdResponseBody(_ buffer: ByteBuffer, for exchange: Exchange, context: ChannelHandlerContext) {
        exchange.heldResponse!.parts.append(buffer)
        exchange.heldResponse!.bytes += buffer.readableBytes
        guard exchange.heldResponse!.bytes > loop.configuration.transformMaxBodyBytes, let held = exchange.heldResponse else { return }
        exchange.heldResponse = nil
        exchange.transformNote = "response \(JSONBodyTransform.Skip.tooLarge(limit: loop.configuration.transformMaxBodyBytes))"
        writeClientHead(held.head, for: exchange, context: context)
        for part in held.parts { writeBody(part, for: exchange, context: context) }
    }

    /// At the end of a held response: sends it transformed (or untouched, when it is not JSON after all).
    func releaseHeldResponse(_ exchange: Exchange, context: ChannelHandlerContext) {
        guard let held = exchange.heldResponse, let transforms = exchange.transforms else { return }
        exchange.heldResponse = nil
        switch JSONBodyTransform.apply(transforms.response, to: held.parts, query: exchange.query) {
        case .success(let body):
            var head = held.head
            JSONBodyTransform.markTransformed(&head.headers, length: body.readableBytes)
            writeClientHead(head, for: exchange, context: context)
            writeBody(body, for: exchange, context: context)
        case .failure(let skip):
            exchange.transformNote = "response \(skip)"
            writeClientHead(held.head, for: exchange, context: context)
            for part in held.parts { writeBody(part, for: exchange, context: context) }
        }
    }

    /// A stored response's body as this client gets it: transformed when the route says so and
    /// it qualifies, with `headers` adjusted to match.
    func transformedForClient(_ body: ByteBuffer, status: HTTPResponseStatus, headers: inout HTTPHeaders, for exchange: Exchange) -> ByteBuffer {
        guard let transforms = exchange.transforms, JSONBodyTransform.hasBodySteps(transforms.response), (200 ..< 300).contains(status.code),
              !exchange.head.method.isHEAD else { return body }
        if let skip = JSONBodyTransform.eligibility(
            contentType: headers.first(name: "content-type"), contentLength: headers.first(name: "content-length"),
            limit: loop.configuration.transformMaxBodyBytes, lengthRequired: false
        ) {
            exchange.transformNote = "response \(skip)"
            return body
        }
        switch JSONBodyTransform.apply(transforms.response, to: [body], query: exchange.query) {
        case .success(let transformed):
            JSONBodyTransform.markTransformed(&headers, length: transformed.readableBytes)
            return transformed
        case .failure(let skip):
            exchange.transformNote = "response \(skip)"
            return body
        }
    }

    /// Sends the client the response head for an upstream's: the gateway's fields, the cache's,
    /// the route's header steps, and compression.
    func writeClientHead(_ head: HTTPResponseHead, hopByHop: HopByHopHeaders.Present? = nil, for exchange: Exchange, context: ChannelHandlerContext) {
        let gatewayName = exchange.gateway?.gateway.name ?? ""
        let clientHead = ClientResponseHead.make(
            from: head, hopByHop: hopByHop, for: exchange, gatewayName: gatewayName, draining: loop.activity.isDraining
        ) { headers in
            addCacheFields(to: &headers, for: exchange)
            if let transforms = exchange.transforms { HeaderEdits.apply(transforms.response, to: &headers) }
            startCompression(exchange, status: head.status, headers: &headers)
        }
        writeToClient(.head(clientHead), context: context)
    }
}
