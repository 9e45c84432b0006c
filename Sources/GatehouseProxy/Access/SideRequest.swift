import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request the gateway makes for itself — fetching a JWK Set, introspecting a token — on a
/// fresh connection (HTTP or HTTPS with the upstream trust store), answered with the status and
/// the body (1 MiB at most) within the timeout.
enum SideRequest {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Answer: Sendable {
        let status: Int
        let body: [UInt8]
    }

    static func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8] = [], tls: NIOSSLContext, on eventLoop: any EventLoop,
        timeout: TimeAmount = .seconds(10)
    ) -> EventLoopFuture<Answer> {
        guard let address = UpstreamAddress(serviceURL: url), let parsed = URL(string: url) else {
            return eventLoop.makeFailedFuture(Failure(description: "not an http(s) URL: \(url)"))
        }
        let target = (parsed.path.isEmpty ? "/" : parsed.path) + (parsed.query.map { "?" + $0 } ?? "")
        return send(method, to: address, target: target, headers: headers, body: body, tls: tls, on: eventLoop, timeout: timeout)
    }

    /// The same, to `address` with a request target (`/path?query`).
    static func send(
        _ method: HTTPMethod, to address: UpstreamAddress, target: String, headers: [(String, String)] = [], body: [UInt8] = [],
        tls: NIOSSLContext, on eventLoop: any EventLoop, timeout: TimeAmount
    ) -> EventLoopFuture<Answer> {
        var fields = HTTPHeaders([("Host", address.authority), ("User-Agent", "gatehouse"), ("Connection", "close")])
        for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
        if !body.isEmpty || method == .POST { fields.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: fields)
        let promise = eventLoop.makePromise(of: Answer.self)
        let timer = eventLoop.scheduleTask(in: timeout) { promise.fail(Failure(description: "no answer within \(timeout.nanoseconds / 1_000_000_000) s")) }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if address.isTLS { try channel.pipeline.syncOperations.addHandler(try address.tlsHandler(tls)) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(AnswerCollector(promise: promise))
                }
            }
            .connect(host: address.host, port: address.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                case .failure(let error):
                    promise.fail(error)
                }
            }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    /// Collects the answer (1 MiB of body at most).
    private final class AnswerCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        private let promise: EventLoopPromise<Answer>
        private var status = 0
        private var body: [UInt8] = []
        private var finished = false

        init(promise: EventLoopPromise<Answer>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                status = Int(head.status.code)
            case .body(let buffer):
                body += buffer.readableBytesView
                if body.count > 1024 * 1024 { finish(.failure(Failure(description: "the answer is larger than 1 MiB"))) }
            case .end:
                finish(.success(Answer(status: status, body: body)))
            }
        }

        func channelInactive(context: ChannelHandlerContext) { finish(.failure(Failure(description: "connection closed early"))) }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error))
            context.close(promise: nil)
        }

        private func finish(_ result: Result<Answer, any Error>) {
            guard !finished else { return }
            finished = true
            promise.completeWith(result)
        }
    }
}
