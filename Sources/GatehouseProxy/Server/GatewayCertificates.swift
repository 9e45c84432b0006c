import GatehouseCore
import NIOCore
import NIOSSL
import Synchronization

/// Per-gateway certificates on the TLS listener: when a client's SNI names the host of a gateway
/// whose `ssl_config` is enabled with a certificate and key, that pair is served instead of the
/// listener's default. Read from the current snapshot at each handshake; PEM files are loaded
/// once per path (a changed path in the config loads the new files).
final class GatewayCertificates: Sendable {
    private struct Pair: Sendable {
        let chain: [NIOSSLCertificateSource]
        let key: NIOSSLPrivateKeySource
    }

    private let snapshot: @Sendable () -> ConfigSnapshot
    private let loaded = Mutex<[String: Pair]>([:])

    init(snapshot: @escaping @Sendable () -> ConfigSnapshot) {
        self.snapshot = snapshot
    }

    /// The `sslContextCallback` of the listener's TLS configuration.
    func select(_ values: NIOSSLClientExtensionValues, _ promise: EventLoopPromise<NIOSSLContextConfigurationOverride>) {
        guard let name = values.serverHostname?.lowercased(),
              let view = snapshot().gateways.first(where: { Self.hostname(of: $0.host) == name && $0.gateway.sslConfig.enabled }),
              let certificate = view.gateway.sslConfig.certificatePath, let key = view.gateway.sslConfig.privateKeyPath,
              let pair = pair(certificate: certificate, key: key) else {
            return promise.succeed(.noChanges)
        }
        var override = NIOSSLContextConfigurationOverride()
        override.certificateChain = pair.chain
        override.privateKey = pair.key
        promise.succeed(override)
    }

    private func pair(certificate: String, key: String) -> Pair? {
        let cacheKey = certificate + "\u{0}" + key
        if let known = loaded.withLock({ $0[cacheKey] }) { return known }
        guard let chain = try? NIOSSLCertificate.fromPEMFile(certificate), !chain.isEmpty,
              let privateKey = try? NIOSSLPrivateKey(file: key, format: .pem) else { return nil }
        let pair = Pair(chain: chain.map { .certificate($0) }, key: .privateKey(privateKey))
        loaded.withLock { $0[cacheKey] = pair }
        return pair
    }

    /// `host[:port]` → `host`.
    private static func hostname(of authority: String) -> String {
        if authority.hasPrefix("[") { return String(authority.prefix { $0 != "]" }.dropFirst()) }
        return String(authority.split(separator: ":").first ?? "")
    }
}
