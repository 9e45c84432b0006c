import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 request to the gateway's own proxy listener, the whole response collected (the
/// body up to a limit) — how a route test goes through the real pipeline.
enum LoopbackHTTPClient {
    /// What came back.
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// More body arrived than was kept.
        var truncated: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func send(
        host: String, port: Int, head: HTTPRequestHead, body: [UInt8], timeout: TimeAmount = .seconds(30), bodyLimit: Int = 1024 * 1024
    ) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Collector(bodyLimit: bodyLimit, promise: channel.eventLoop.makePromise()))
                }
            }
            .connect(host: host, port: port).get()
        let response = try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Response> in
            let collector = try! channel.pipeline.syncOperations.handler(type: Collector.self)
            var head = head
            head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            let deadline = channel.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                collector.finish(.failure(Failure(description: "no complete response within \(timeout.nanoseconds / 1_000_000_000) s")))
                channel.close(promise: nil)
            }
            return collector.promise.futureResult.always { _ in deadline.cancel() }
        }.get()
        try? await channel.close()
        return response
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Response>
        private let bodyLimit: Int
        private var response = Response(status: 0, headers: [], body: [], truncated: false)
        private var finished = false

        init(bodyLimit: Int, promise: EventLoopPromise<Response>) {
            self.bodyLimit = bodyLimit
            self.promise = promise
        }

        /// Completes the promise once; later results are ignored.
        func finish(_ result: Result<Response, any Error>) {
            guard !finished else { return }
            finished = true
            promise.completeWith(result)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                response.status = Int(head.status.code)
                response.headers = head.headers.map { ($0.name, $0.value) }
            case .body(let buffer):
                let room = bodyLimit - response.body.count
                if buffer.readableBytes > room { response.truncated = true }
                response.body += buffer.readableBytesView.prefix(max(0, room))
            case .end:
                finish(.success(response))
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(.failure(Failure(description: "the gateway closed the connection before the response was complete")))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error))
            context.close(promise: nil)
        }
    }
}
