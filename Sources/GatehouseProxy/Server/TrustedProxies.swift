import Foundation
import GatehouseCore
import NIOCore

/// The peers whose forwarding headers are believed (`--trusted-proxy CIDR`): a CDN or load
/// balancer in front of the gateway. From anyone else, `X-Forwarded-*` and location headers are
/// replaced or ignored, so a client cannot choose its own IP or place.
public struct TrustedProxies: Sendable, Equatable {
    public let blocks: [CIDRBlock]

    public init(_ blocks: [CIDRBlock] = []) {
        self.blocks = blocks
    }

    public func contains(_ ip: ClientIP?) -> Bool {
        guard let ip else { return false }
        return blocks.contains { $0.contains(ip) }
    }

    /// The real client behind a trusted `peer`: the right-most `X-Forwarded-For` entry that is
    /// not itself a trusted proxy (each hop appends, so entries to its left are the client's claims).
    public func originalClient(peer: ClientIP?, forwardedFor: [Substring]) -> ClientIP? {
        guard contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard let address = try? SocketAddress(ipAddress: hop, port: 0), let ip = ClientIP(address) else { return peer }
            if !contains(ip) { return ip }
        }
        return peer
    }
}
