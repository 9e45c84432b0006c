import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One active health check: `GET path` on a fresh connection; healthy when a 2xx or 3xx head
/// arrives within the timeout.
enum HealthProbe {
    static func check(
        _ address: UpstreamAddress, path: String, timeout: TimeAmount, tls: NIOSSLContext, on eventLoop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        let tls = address.isTLS ? tls : nil
        let promise = eventLoop.makePromise(of: Bool.self)
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: address.basePath + (path.hasPrefix("/") ? path : "/" + path),
            headers: ["Host": address.authority, "User-Agent": "gatehouse-health-check", "Connection": "close"]
        )
        let timer = eventLoop.scheduleTask(in: timeout) { promise.succeed(false) }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try address.tlsHandler(tls)) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ProbeHandler(promise: promise))
                }
            }
            .connect(host: address.host, port: address.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    channel.writeAndFlush(HTTPClientRequestPart.head(head), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                case .failure:
                    promise.succeed(false)
                }
            }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    private final class ProbeHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Bool>

        init(promise: EventLoopPromise<Bool>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head(let head) = unwrapInboundIn(data), head.status.code >= 200 {
                promise.succeed(head.status.code < 400)
            }
        }

        func channelInactive(context: ChannelHandlerContext) { promise.succeed(false) }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.succeed(false)
            context.close(promise: nil)
        }
    }
}
