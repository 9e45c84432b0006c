import GatehouseCore
import NIOCore
import NIOHTTP1

/// WebSocket (and other `Upgrade`) pass-through: the upgrade request goes to the upstream with
/// its `Upgrade`/`Connection` fields; when the upstream answers 101, the client gets the 101 and
/// the client's connection drops its HTTP codec, the upstream's passes bytes through, and both
/// become one byte tunnel until either side closes.
extension ProxyHandler {
    /// `true` for a request asking to switch protocols (`Connection: upgrade` + `Upgrade`).
    static func isUpgradeRequest(_ head: ClientRequestHead) -> Bool {
        head.headers.contains(name: "upgrade")
            && head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    /// Relays the upstream's 101 to the client.
    func beginUpgrade(_ exchange: Exchange, response head: HTTPResponseHead, context: ChannelHandlerContext) {
        exchange.responseStarted = true
        exchange.status = 101
        var headers = head.headers
        HopByHopHeaders.remove(from: &headers, keepUpgrade: true)
        if let upgrade = head.headers.first(name: "upgrade") { headers.replaceOrAdd(name: "Upgrade", value: upgrade) }
        headers.replaceOrAdd(name: "X-Request-ID", value: exchange.requestID)
        headers.replaceOrAdd(name: "X-Gateway", value: exchange.gateway?.gateway.name ?? "")
        headers.replaceOrAdd(name: "X-Backend-Service", value: exchange.service)
        writeToClient(.head(HTTPResponseHead(version: head.version, status: .switchingProtocols, headers: headers)), context: context)
        flushClient(context)
    }

    /// After the 101 has been parsed completely: replaces both HTTP pipelines by a tunnel. The
    /// outcome (status 101, bytes each way) is recorded when the tunnel closes.
    func completeUpgrade(_ exchange: Exchange, upstream connection: UpstreamConnection) {
        guard let context else { return }
        exchange.connection = nil
        connection.delegate = nil
        let (clientSide, upstreamSide) = TunnelHandler.pair()
        clientSide.onClose = { [self] in
            exchange.requestBytes += clientSide.bytesRead
            exchange.responseBytes += upstreamSide.bytesRead
            exchange.responseEnded = true
            releaseSlot(exchange, succeeded: true)
            record(exchange)
        }
        do {
            let client = context.pipeline.syncOperations
            let upstream = connection.channel.pipeline.syncOperations
            try upstream.addHandler(upstreamSide, position: .after(try upstream.handler(type: UpstreamHandler.self)))
            try client.addHandler(clientSide, position: .before(self))
            client.removeHandler(try client.handler(type: HTTP1ServerCodec.self), promise: nil)
            self.exchange = nil
            client.removeHandler(self, promise: nil)
            connection.passBytesThrough()
            connection.setReadsPaused(false)
        } catch {
            connection.close()
            abandon(exchange, status: 502, message: "cannot switch to a tunnel: \(error)")
        }
    }
}
