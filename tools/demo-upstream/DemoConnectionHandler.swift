import Foundation
import NIOCore
import NIOHTTP1

/// Reads one request at a time, applies the failure switches, and writes the demo API's reply —
/// streaming ones (SSE, large downloads) paced by the event loop and the client's reading.
final class DemoConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: DemoAPI
    private let switches: DemoSwitches
    private var head: HTTPRequestHead?
    private var body = Data()
    private var streaming: Scheduled<Void>?
    /// A request is being answered (counted in ``DemoLoad``).
    private var answering = false

    init(api: DemoAPI, switches: DemoSwitches) {
        self.api = api
        self.switches = switches
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            self.head = nil
            // Health checks and the demo's own endpoints are not load.
            if !head.uri.hasPrefix("/health"), !head.uri.hasPrefix("/_demo") {
                answering = true
                api.load.started()
            }
            answer(head, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        streaming?.cancel()
        doneAnswering()
        context.fireChannelInactive()
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let components = URLComponents(string: head.uri)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let request = DemoRequest(
            method: head.method.rawValue, path: components?.percentEncodedPath ?? head.uri, query: query,
            headers: head.headers.map { ($0.name, $0.value) }, body: body
        )
        let behaviour = switches.behaviour
        let isControl = request.path.hasPrefix("/_demo")
        if !isControl, query["drop"] == "1" || Double.random(in: 0 ..< 1) < behaviour.dropRate {
            context.close(promise: nil)
            return
        }
        let reply = decideReply(request, query: query, behaviour: behaviour, isControl: isControl)
        let delay = query["delay_ms"].flatMap(Int.init) ?? (isControl ? 0 : behaviour.latencyMS)
        let keepAlive = head.isKeepAlive
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        if delay > 0 {
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) {
                let (handler, context) = loopBound.value
                handler.write(reply, keepAlive: keepAlive, context: context)
            }
        } else {
            write(reply, keepAlive: keepAlive, context: context)
        }
    }

    private func decideReply(_ request: DemoRequest, query: [String: String], behaviour: DemoBehaviour, isControl: Bool) -> DemoReply {
        var reply: DemoReply
        if let forced = query["status"].flatMap(Int.init), (100 ... 599).contains(forced) {
            reply = api.error(forced, "status \(forced) requested")
        } else if !isControl, Double.random(in: 0 ..< 1) < behaviour.errorRate {
            reply = api.error(behaviour.errorStatus, "injected failure")
        } else {
            reply = api.reply(to: request)
        }
        if case .complete(let status, let contentType, _, let headers) = reply, status < 300, request.method == "HEAD" {
            reply = .complete(status: status, contentType: contentType, body: Data(), headers: headers)
        }
        return reply
    }

    private func write(_ reply: DemoReply, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers: HTTPHeaders = ["X-Upstream-Instance": api.instance]
        switch reply {
        case .drop:
            context.close(promise: nil)
        case .complete(let status, let contentType, let body, let extra):
            headers.add(name: "Content-Type", value: contentType)
            for (name, value) in extra { headers.add(name: name, value: value) }
            if status != 304, status != 204, !headers.contains(name: "transfer-encoding") { headers.add(name: "Content-Length", value: String(body.count)) }
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers))), promise: nil)
            if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
            finish(keepAlive: keepAlive, context: context)
        case .events(let count, let interval):
            headers.add(name: "Content-Type", value: "text/event-stream")
            headers.add(name: "Cache-Control", value: "no-cache")
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            sendEvent(1, of: count, every: interval, context: context)
        case .bytes(let count):
            headers.add(name: "Content-Type", value: "application/octet-stream")
            headers.add(name: "Content-Length", value: String(count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            sendBytes(remaining: count, keepAlive: keepAlive, context: context)
        }
    }

    private func sendEvent(_ number: Int, of count: Int, every interval: Int, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let event = "id: \(number)\nevent: update\ndata: {\"n\":\(number),\"instance\":\"\(api.instance)\"}\n\n"
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: event)))), promise: nil)
        if count > 0, number >= count {
            finish(keepAlive: true, context: context)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        streaming = context.eventLoop.scheduleTask(in: .milliseconds(Int64(interval))) {
            let (handler, context) = loopBound.value
            handler.sendEvent(number + 1, of: count, every: interval, context: context)
        }
    }

    /// Writes the next chunk once the previous one reached the socket: memory stays at one chunk.
    private func sendBytes(remaining: Int, keepAlive: Bool, context: ChannelHandlerContext) {
        guard remaining > 0 else {
            finish(keepAlive: keepAlive, context: context)
            return
        }
        let size = min(remaining, 64 * 1024)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(chunk)))).whenSuccess {
            let (handler, context) = loopBound.value
            handler.sendBytes(remaining: remaining - size, keepAlive: keepAlive, context: context)
        }
    }

    private func doneAnswering() {
        if answering { api.load.finished() }
        answering = false
    }

    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        doneAnswering()
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
