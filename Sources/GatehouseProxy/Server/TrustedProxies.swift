import Foundation
import GatehouseCore
import NIOCore

/// The peers whose forwarding headers are believed (`--trusted-proxy CIDR`): a CDN or load
/// balancer in front of the gateway. From anyone else, `X-Forwarded-*` and location headers are
/// replaced or ignored, so a client cannot choose its own IP or place.
public struct TrustedProxies: Sendable, Equatable {
    /// One CIDR block.
    public struct Block: Sendable, Equatable {
        let network: [UInt8]
        let prefixLength: Int

        /// Parses `a.b.c.d/n`, `x:y::z/n`, or a single address.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let address = try? SocketAddress(ipAddress: String(first), port: 0),
                  let ip = ClientIP(address) else { return nil }
            let maximum = ip.bytes.count * 8
            let length = parts.count == 2 ? Int(parts[1]) : maximum
            guard let length, (0 ... maximum).contains(length) else { return nil }
            network = ip.bytes
            prefixLength = length
        }

        public func contains(_ ip: ClientIP) -> Bool {
            guard ip.bytes.count == network.count else { return false }
            var remaining = prefixLength
            for index in network.indices where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if ip.bytes[index] & mask != network[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    public let blocks: [Block]

    public init(_ blocks: [Block] = []) {
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
