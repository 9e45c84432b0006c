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
    /// being tunnelled), `Connection: upgrade` and `Upgrade` are kept.
    public static func remove(from headers: inout HTTPHeaders, keepUpgrade: Bool = false) {
        var named: Set<String> = []
        for value in headers[canonicalForm: "connection"] {
            named.insert(value.lowercased())
        }
        var doomed = names.union(named)
        if keepUpgrade {
            doomed.remove("upgrade")
            doomed.remove("connection")
        }
        for name in doomed { headers.remove(name: name) }
        if keepUpgrade {
            headers.replaceOrAdd(name: "connection", value: "upgrade")
        }
    }
}
