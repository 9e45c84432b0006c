import Foundation
import NIOCore
import NIOSSL

/// Where an instance's `service_url` points: scheme, host, port and a base path that upstream
/// paths are appended to.
public struct UpstreamAddress: Hashable, Sendable, CustomStringConvertible {
    public let isTLS: Bool
    public let host: String
    public let port: Int
    /// Without a trailing slash; empty for the root.
    public let basePath: String
    /// The `Host` header value for requests to this address (worked out once: every request
    /// sends it).
    public let authority: String

    /// Parses an `http` or `https` URL; `nil` for anything else.
    public init?(serviceURL: String) {
        guard let url = URL(string: serviceURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        isTLS = scheme == "https"
        self.host = host
        port = url.port ?? (isTLS ? 443 : 80)
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        let shown = host.contains(":" as Character) ? "[\(host)]" : host
        authority = port == (isTLS ? 443 : 80) ? shown : "\(shown):\(port)"
    }

    public static func == (left: UpstreamAddress, right: UpstreamAddress) -> Bool {
        left.port == right.port && left.isTLS == right.isTLS && left.host == right.host && left.basePath == right.basePath
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(isTLS)
        hasher.combine(basePath)
    }

    public var description: String { "\(isTLS ? "https" : "http")://\(authority)\(basePath)" }
}

extension UpstreamAddress {
    /// A TLS client handler for this address: SNI and certificate name checks against the host
    /// (IP addresses are checked against the certificate's IP entries and sent without SNI).
    func tlsHandler(_ context: NIOSSLContext) throws -> NIOSSLClientHandler {
        let isIPAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isIPAddress ? nil : host)
    }
}
