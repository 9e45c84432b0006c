import GatehouseCore
import NIOHTTP1

/// Connection-specific fields that a proxy must not forward (RFC 9110 §7.6.1): the fixed set,
/// plus every field the `Connection` header names.
enum HopByHopHeaders {
    /// Always connection-specific (lowercase).
    static let names: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// Most fields are ruled out by the length of their name alone.
    private static let nameLengths = NameLengths(names)

    /// Removes hop-by-hop fields from `headers`. When `keepUpgrade` is set (a WebSocket upgrade
    /// being tunnelled), `Connection: upgrade` and `Upgrade` are kept.
    static func remove(from headers: inout HTTPHeaders, keepUpgrade: Bool = false) {
        present(in: headers).forEachName { name in
            if !(keepUpgrade && (name == "upgrade" || name == "connection")) { headers.remove(name: name) }
        }
        if keepUpgrade {
            headers.replaceOrAdd(name: "connection", value: "upgrade")
        }
    }

    /// The hop-by-hop fields of one message: which of the fixed ``names`` it carries, the names
    /// its `Connection` fields list besides them, and whether those say `close` or `keep-alive`
    /// (so the connection's persistence needs no second pass). Found in one pass; nothing is
    /// allocated unless `Connection` lists other fields.
    struct Present {
        /// Bit `i`: the message carries `names[i]`.
        fileprivate(set) var fixed: UInt16 = 0
        /// Lowercase names that `Connection` lists beyond the fixed set.
        fileprivate(set) var listed: [String] = []

        /// A `Connection` field says `close`.
        fileprivate(set) var saysClose = false
        /// A `Connection` field says `keep-alive`.
        fileprivate(set) var saysKeepAlive = false

        var isEmpty: Bool { fixed == 0 && listed.isEmpty }

        /// Whether the connection stays open after this message in `version` (RFC 9112 §9.3): in
        /// HTTP/1.1 unless `Connection` says `close`, in HTTP/1.0 only when it says `keep-alive`
        /// — what NIO's `isKeepAlive` answers.
        func keepsConnectionOpen(in version: HTTPVersion) -> Bool {
            !saysClose && (version.isAtLeastHTTP11 || saysKeepAlive)
        }

        /// Whether a field named `name` (any case) is hop-by-hop in this message.
        func contains(_ name: some FieldName) -> Bool {
            if fixed != 0, let index = HopByHopHeaders.index(of: name), fixed & 1 << index != 0 { return true }
            return listed.contains { name.isNamed($0) }
        }

        /// Takes note of one field of the message; `value` is read only for `Connection`.
        fileprivate mutating func note(_ name: some FieldName, value: () -> String) {
            guard let index = HopByHopHeaders.index(of: name) else { return }
            fixed |= 1 << index
            guard index == 0 else { return }  // `connection`: the fields it names
            // `close` and the fixed set need no second look.
            value().forEachPiece(separatedByASCII: UInt8(ascii: ","), omittingEmpty: true) { token in
                let named = token.trimmingSpaces()
                let saysClose = named.equalsIgnoringASCIICase("close")
                if saysClose { self.saysClose = true }
                if named.equalsIgnoringASCIICase("keep-alive") { saysKeepAlive = true }
                guard !named.isEmpty, !saysClose,
                      !HopByHopHeaders.names.contains(where: { named.equalsIgnoringASCIICase($0) }) else { return }
                let lowercased = named.lowercased()
                if !listed.contains(lowercased) { listed.append(lowercased) }
            }
        }

        /// Calls `body` with each hop-by-hop name (lowercase).
        func forEachName(_ body: (String) -> Void) {
            for (index, name) in HopByHopHeaders.names.enumerated() where fixed & 1 << index != 0 { body(name) }
            for name in listed { body(name) }
        }
    }

    /// The hop-by-hop fields among `headers`.
    static func present(in headers: HTTPHeaders) -> Present {
        var present = Present()
        for field in headers { present.note(field.name) { field.value } }
        return present
    }

    /// The hop-by-hop fields of a client's request, read where they arrived.
    static func present(in fields: ReceivedFields) -> Present {
        var present = Present()
        fields.forEach { name, value in present.note(FieldBytes(bytes: name)) { FieldBytes(bytes: value).string } }
        return present
    }

    /// The hop-by-hop fields of an upstream's response head, read where they arrived.
    static func present(in head: UpstreamResponseHead) -> Present {
        var present = Present()
        head.forEachField { name, value in present.note(name) { value.string } }
        return present
    }

    /// The position of `name` (any case) among the fixed ``names``; most fields are ruled out by
    /// the length of their name alone.
    private static func index(of name: some FieldName) -> Int? {
        guard nameLengths.mayContain(name) else { return nil }
        return names.firstIndex { name.isNamed($0) }
    }
}
