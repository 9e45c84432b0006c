import GatehouseCore
import NIOCore

/// The gateway's `timeout_config.write`: how long either peer may stop taking bytes while the
/// gateway has more for it. An upstream that stops accepting the request body fails the attempt
/// (504); a client that stops reading its response is disconnected — so a slow reader cannot
/// hold an upstream connection and its buffers forever.
extension ProxyHandler {
    /// Which side stalled.
    enum StalledPeer {
        case upstream, client
    }

    /// Starts the stall clock for `peer` unless it is already running.
    func armWriteStall(_ exchange: Exchange, peer: StalledPeer) {
        guard exchange.writeStall == nil, let gateway = exchange.gateway else { return }
        let milliseconds = max(1, gateway.gateway.timeoutConfig.write)
        exchange.writeStall = loop.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(milliseconds))) { [self] in
            exchange.writeStall = nil
            guard self.exchange === exchange, !exchange.responseEnded else { return }
            switch peer {
            case .upstream where !exchange.responseStarted:
                if let connection = exchange.connection {
                    exchange.connection = nil
                    connection.delegate = nil
                    connection.close()
                }
                attemptFailed(exchange, .timedOut, message: "\(exchange.service) did not accept the request body within \(milliseconds) ms")
            case .upstream, .client:
                abandon(exchange, status: exchange.status, message: "the \(peer) stopped reading for \(milliseconds) ms")
            }
        }
    }

    /// The stalled side is taking bytes again.
    func disarmWriteStall(_ exchange: Exchange?) {
        exchange?.writeStall?.cancel()
        exchange?.writeStall = nil
    }
}
