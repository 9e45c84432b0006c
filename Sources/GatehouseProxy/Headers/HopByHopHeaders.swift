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

        /// Takes note of one field of the message, by its name; whether it is `Connection`,
        /// whose value ``noteConnection(_:)`` is then to read.
        fileprivate mutating func note(_ name: some FieldName) -> Bool {
            guard let index = HopByHopHeaders.index(of: name) else { return false }
            fixed |= 1 << index
            return index == 0
        }

        /// Takes note of a `Connection` field's value, read where it is: the fields it names
        /// (`close` and the fixed set need no second look), and whether it says `close` or
        /// `keep-alive`.
        fileprivate mutating func noteConnection(_ value: UnsafeRawBufferPointer) {
            func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var start = 0
            while start < value.count {
                var end = start
                while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
                var low = start, high = end
                while low < high, isSpace(value[low]) { low += 1 }
                while high > low, isSpace(value[high - 1]) { high -= 1 }
                start = end + 1
                guard high > low else { continue }
                let token = FieldBytes(bytes: UnsafeRawBufferPointer(rebasing: value[low ..< high]))
                if token.isNamed("close") {
                    saysClose = true
                    continue
                }
                if token.isNamed("keep-alive") { saysKeepAlive = true }
                guard HopByHopHeaders.index(of: token) == nil else { continue }
                let lowercased = token.string.lowercased()
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
        for field in headers where present.note(field.name) {
            var value = field.value
            value.withUTF8 { present.noteConnection(UnsafeRawBufferPointer($0)) }
        }
        return present
    }

    /// The hop-by-hop fields of a client's request, read where they arrived.
    static func present(in fields: ReceivedFields) -> Present {
        var present = Present()
        fields.forEach { name, value in
            if present.note(FieldBytes(bytes: name)) { present.noteConnection(value) }
        }
        return present
    }

    /// The hop-by-hop fields of an upstream's response head, read where they arrived.
    static func present(in head: UpstreamResponseHead) -> Present {
        var present = Present()
        head.forEachField { name, value in
            if present.note(name) { present.noteConnection(value.bytes) }
        }
        return present
    }

    /// The position of `name` (any case) among the fixed ``names``; most fields are ruled out by
    /// the length of their name alone.
    private static func index(of name: some FieldName) -> Int? {
        guard nameLengths.mayContain(name) else { return nil }
        return names.firstIndex { name.isNamed($0) }
    }
}
