import NIOHTTP1

/// Connection-specific fields that a proxy must not forward (RFC 9110 §7.6.1): the fixed set,
/// plus every field the `Connection` header names.
public enum HopByHopHeaders {
    /// Always connection-specific.
    public static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// Removes hop-by-hop fields from `headers`. When `keepUpgrade` is set (a WebSocket upgrade
    /// being tunnelled), `Connection: upgrade` and `Upgrade` are kept. One pass finds what to
    /// remove (most messages carry one such field or none), then only those names are removed.
    public static func remove(from headers: inout HTTPHeaders, keepUpgrade: Bool = false) {
        var doomed: [String] = []
        for field in headers {
            let name = field.name.lowercased()
            if names.contains(name) { doomed.append(name) }
        }
        if doomed.contains("connection") { doomed += headers[canonicalForm: "connection"].map { $0.lowercased() } }
        for name in doomed where !(keepUpgrade && (name == "upgrade" || name == "connection")) { headers.remove(name: name) }
        if keepUpgrade {
            headers.replaceOrAdd(name: "connection", value: "upgrade")
        }
    }
}
