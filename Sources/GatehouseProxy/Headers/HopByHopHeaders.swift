import GatehouseCore
import NIOHTTP1

/// Connection-specific fields that a proxy must not forward (RFC 9110 §7.6.1): the fixed set,
/// plus every field the `Connection` header names.
public enum HopByHopHeaders {
    /// Always connection-specific (lowercase).
    public static let names: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// The lengths of `names`, as bits of a mask: most fields are ruled out by their length
    /// alone, without comparing them with each name.
    private static let nameLengths: UInt64 = names.reduce(0) { $0 | 1 << UInt64($1.utf8.count) }

    /// Removes hop-by-hop fields from `headers`. When `keepUpgrade` is set (a WebSocket upgrade
    /// being tunnelled), `Connection: upgrade` and `Upgrade` are kept.
    public static func remove(from headers: inout HTTPHeaders, keepUpgrade: Bool = false) {
        for name in present(in: headers) where !(keepUpgrade && (name == "upgrade" || name == "connection")) { headers.remove(name: name) }
        if keepUpgrade {
            headers.replaceOrAdd(name: "connection", value: "upgrade")
        }
    }

    /// The hop-by-hop names (lowercase) among `headers`' fields, and the names its `Connection`
    /// fields list: one pass, without allocating for the fields that stay (most messages carry
    /// one hop-by-hop field or none).
    public static func present(in headers: HTTPHeaders) -> [String] {
        var doomed: [String] = []
        for field in headers {
            let length = field.name.utf8.count
            guard length < 64, nameLengths & 1 << UInt64(length) != 0,
                  let name = names.first(where: { field.name.equalsIgnoringASCIICase($0) }) else { continue }
            if !doomed.contains(name) { doomed.append(name) }
            guard name == "connection" else { continue }
            // The fields it names; `close` and the fixed set need no second look.
            field.value.forEachPiece(separatedByASCII: UInt8(ascii: ","), omittingEmpty: true) { token in
                let named = token.trimmingSpaces()
                guard !named.isEmpty, !named.equalsIgnoringASCIICase("close"),
                      !names.contains(where: { named.equalsIgnoringASCIICase($0) }) else { return }
                let lowercased = named.lowercased()
                if !doomed.contains(lowercased) { doomed.append(lowercased) }
            }
        }
        return doomed
    }
}
