import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A response as a test sees it.
public struct TestResponse: Sendable {
    public let status: Int
    /// Header fields in order, names as sent.
    public let headers: [(name: String, value: String)]
    public let body: Data
    /// Body bytes received (also when the body was not kept).
    public let bodyBytes: Int

    /// The first value of `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestHTTPError(message: "body is not a JSON object: \(text)")
        }
        return object
    }
}

/// A test's HTTP/1.1 client on loopback, built on SwiftNIO: one connection per call.
public enum TestHTTP {
    /// Sends one request to 127.0.0.1:`port` and reads the whole response.
    public static func request(
        _ method: String = "GET", _ target: String, port: Int, headers: [(String, String)] = [], body: Data? = nil, keepBody: Bool = true
    ) async throws -> TestResponse {
        var fields = HTTPHeaders(headers)
        if !fields.contains(name: "host") { fields.add(name: "Host", value: "127.0.0.1:\(port)") }
        if let body { fields.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target, headers: fields)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(keepBody: keepBody, promise: channel.eventLoop.makePromise()))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let response = try await channel.eventLoop.flatSubmit {
            let collector = try! channel.pipeline.syncOperations.handler(type: ResponseCollector.self)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return collector.promise.futureResult
        }.get()
        try? await channel.close()
        return response
    }

    /// Writes `bytes` as they are and returns what comes back: once `until` holds for the
    /// text received so far, when the server closes, or after `timeout` seconds.
    public static func raw(
        _ bytes: String, port: Int, timeout: Double = 10, until: @escaping @Sendable (String) -> Bool = { _ in false }
    ) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        let text = try await channel.eventLoop.flatSubmit {
            let collector = RawCollector(until: until, promise: channel.eventLoop.makePromise())
            try! channel.pipeline.syncOperations.addHandler(collector)
            channel.writeAndFlush(ByteBuffer(string: bytes), promise: nil)
            channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) { collector.finish() }
            return collector.promise.futureResult
        }.get()
        try? await channel.close()
        return text
    }
}

/// A test's HTTP call failed.
public struct TestHTTPError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

private final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    let keepBody: Bool
    let promise: EventLoopPromise<TestResponse>
    private var head: HTTPResponseHead?
    private var body = Data()
    private var bodyBytes = 0

    init(keepBody: Bool, promise: EventLoopPromise<TestResponse>) {
        self.keepBody = keepBody
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.status.code >= 200 { self.head = head }
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            if keepBody { body.append(contentsOf: buffer.readableBytesView) }
        case .end:
            guard let head else { return }
            promise.succeed(TestResponse(
                status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: body, bodyBytes: bodyBytes
            ))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(TestHTTPError(message: "connection closed before the response ended (\(bodyBytes) body bytes)"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}

private final class RawCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let until: @Sendable (String) -> Bool
    let promise: EventLoopPromise<String>
    private let received = Mutex("")

    init(until: @escaping @Sendable (String) -> Bool, promise: EventLoopPromise<String>) {
        self.until = until
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let chunk = String(buffer: unwrapInboundIn(data))
        let text = received.withLock { text in
            text += chunk
            return text
        }
        if until(text) { finish() }
    }

    func channelInactive(context: ChannelHandlerContext) { finish() }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { finish() }

    func finish() {
        promise.succeed(received.withLock { $0 })
    }
}
