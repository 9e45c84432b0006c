import GatehouseCore
import NIOCore

extension ClientIP {
    /// The address of `socket`, when it is IPv4 or IPv6.
    public init?(_ socket: SocketAddress) {
        switch socket {
        case .v4(let address):
            self.init(bytes: withUnsafeBytes(of: address.address.sin_addr) { Array($0) })
        case .v6(let address):
            self.init(bytes: withUnsafeBytes(of: address.address.sin6_addr) { Array($0) })
        case .unixDomainSocket:
            return nil
        }
    }
}
