import GatehouseCore
import NIOCore

/// A TLS listener: HTTP/2 and HTTP/1.1 negotiated by ALPN.
public struct TLSListener: Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain.
    public var certificatePath: String
    /// PEM private key.
    public var privateKeyPath: String

    public init(host: String = "0.0.0.0", port: Int = 8443, certificatePath: String, privateKeyPath: String) {
        self.host = host
        self.port = port
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}

/// Listener and limits of the proxy.
public struct ProxyConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Event loops (threads); each owns its connections, upstream pools and breakers.
    public var eventLoops: Int
    /// Largest request body accepted (413 beyond it).
    public var maxBodyBytes: Int
    /// Largest request head accepted (the fields' names and values), in bytes (431 beyond it).
    public var maxHeaderBytes: Int
    /// Request bodies up to this size are kept so an idempotent request can be retried.
    public var replayableBodyBytes: Int
    /// Longest wait for in-flight requests on shutdown, in seconds.
    public var drainSeconds: Int
    /// The TLS listener, if any.
    public var tls: TLSListener?
    /// Extra CA certificates (PEM) trusted for HTTPS upstreams, besides the system's.
    public var upstreamCAFile: String?
    /// Peers whose `X-Forwarded-*` and location headers are believed.
    public var trustedProxies: TrustedProxies
    /// Responses of compressible types at least this long are compressed for clients that
    /// accept gzip or deflate; `nil`: never.
    public var compressionMinimumBytes: Int?
    /// Client locations by address range (analytics and `geo_based` balancing); `nil`: none.
    public var geoTable: GeoTable?
    /// Where each finished request is logged; `nil`: nowhere.
    public var accessLog: AccessLog?
    /// Largest body a JSON transform works on; larger bodies pass through untouched.
    public var transformMaxBodyBytes: Int
    /// Recognises the admin API's route tests and cache preloads; `nil`: no request is one.
    public var adminRequests: AdminRequestMarker?

    public init(
        host: String = "0.0.0.0", port: Int = 8080, eventLoops: Int = System.coreCount,
        maxBodyBytes: Int = 10 * 1024 * 1024, maxHeaderBytes: Int = 32 * 1024, replayableBodyBytes: Int = 64 * 1024, drainSeconds: Int = 30, tls: TLSListener? = nil,
        upstreamCAFile: String? = nil, trustedProxies: TrustedProxies = TrustedProxies(),
        adminRequests: AdminRequestMarker? = nil, compressionMinimumBytes: Int? = 1024, transformMaxBodyBytes: Int = 1024 * 1024,
        accessLog: AccessLog? = nil, geoTable: GeoTable? = nil
    ) {
        self.geoTable = geoTable
        self.accessLog = accessLog
        self.transformMaxBodyBytes = transformMaxBodyBytes
        self.compressionMinimumBytes = compressionMinimumBytes
        self.adminRequests = adminRequests
        self.trustedProxies = trustedProxies
        self.tls = tls
        self.upstreamCAFile = upstreamCAFile
        self.host = host
        self.port = port
        self.eventLoops = eventLoops
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.replayableBodyBytes = replayableBodyBytes
        self.drainSeconds = drainSeconds
    }
}
