import NIOHTTP1

/// Connection-specific fields that a proxy must not forward (RFC 9110 §7.6.1): the fixed set,
/// plus every field the `Connection` header names.
public enum HopByHopHeaders {
    /// Always connection-specific.
    public static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    private static let fixedOrder = names.sorted()

    /// Removes hop-by-hop fields from `headers`. When `keepUpgrade` is set (a WebSocket upgrade
    /// being tunnelled), `Connection: upgrade` and `Upgrade` are kept.
    public static func remove(from headers: inout HTTPHeaders, keepUpgrade: Bool = false) {
        // Fields named by `Connection` first (most messages have none), then the fixed set.
        if headers.contains(name: "connection") {
            for value in headers[canonicalForm: "connection"] {
                let name = value.lowercased()
                if !(keepUpgrade && (name == "upgrade" || name == "connection")) { headers.remove(name: name) }
            }
        }
        for name in fixedOrder where !(keepUpgrade && (name == "upgrade" || name == "connection")) { headers.remove(name: name) }
        if keepUpgrade {
            headers.replaceOrAdd(name: "connection", value: "upgrade")
        }
    }
}
