import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 network, `a.b.c.d/n` or `x:y::z/n` (a lone address is a /32 or /128).
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    /// The address bytes (4 or 16), as written.
    public let network: [UInt8]
    public let prefixLength: Int

    /// Parses `text`; `nil` when it is not an address or block.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let bytes = Self.addressBytes(String(first)) else { return nil }
        let maximum = bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : maximum
        guard let length, (0 ... maximum).contains(length) else { return nil }
        network = bytes
        prefixLength = length
    }

    /// Whether `ip` lies in this network (an IPv4 address never lies in an IPv6 block).
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

    public var description: String {
        "\(ClientIP(bytes: network)?.description ?? "?")/\(prefixLength)"
    }

    /// The 4 or 16 bytes of a textual IPv4 or IPv6 address.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
