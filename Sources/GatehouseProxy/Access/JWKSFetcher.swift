import Foundation
import GatehouseCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Fetches an issuer's JWK Set (`GET jwks_url`, HTTP or HTTPS with the upstream trust store):
/// 200 with a JSON object holding `keys`, at most 1 MiB, within the timeout.
enum JWKSFetcher {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func fetch(_ url: String, tls: NIOSSLContext, on eventLoop: any EventLoop, timeout: TimeAmount = .seconds(10)) async throws -> JSONValue {
        guard let address = UpstreamAddress(serviceURL: url), let parsed = URL(string: url) else { throw Failure(description: "not an http(s) URL") }
        let path = parsed.path.isEmpty ? "/" : parsed.path + (parsed.query.map { "?" + $0 } ?? "")
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: path,
            headers: ["Host": address.authority, "User-Agent": "gatehouse-jwks", "Accept": "application/json", "Connection": "close"]
        )
        let promise = eventLoop.makePromise(of: [UInt8].self)
        let timer = eventLoop.scheduleTask(in: timeout) { promise.fail(Failure(description: "no answer within \(timeout.nanoseconds / 1_000_000_000) s")) }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        let channel = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if address.isTLS { try channel.pipeline.syncOperations.addHandler(try address.tlsHandler(tls)) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(BodyCollector(promise: promise))
                }
            }
            .connect(host: address.host, port: address.port).get()
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer { channel.close(promise: nil) }
        let body = try await promise.futureResult.get()
        let document = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        guard case .array? = document["keys"] else { throw Failure(description: "the answer is not a JWK Set") }
        return document
    }

    /// Collects a 200 response's body (1 MiB at most).
    private final class BodyCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        private let promise: EventLoopPromise<[UInt8]>
        private var body: [UInt8] = []
        private var finished = false

        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head) where head.status != .ok:
                finish(.failure(Failure(description: "HTTP \(head.status.code)")))
            case .head:
                break
            case .body(let buffer):
                body += buffer.readableBytesView
                if body.count > 1024 * 1024 { finish(.failure(Failure(description: "the JWK Set is larger than 1 MiB"))) }
            case .end:
                finish(.success(body))
            }
        }

        func channelInactive(context: ChannelHandlerContext) { finish(.failure(Failure(description: "connection closed early"))) }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error))
            context.close(promise: nil)
        }

        private func finish(_ result: Result<[UInt8], any Error>) {
            guard !finished else { return }
            finished = true
            promise.completeWith(result)
        }
    }
}
