import Foundation

/// Applying compiled transform steps to the parts that are plain data: JSON bodies and query
/// strings (header fields are edited where they live, in the proxy).
extension RouteTransforms {
    /// `body` after the body steps among `steps`, in order. `clientFields(name)` gives the
    /// value of the request's query parameter `name` (for `field_filter`).
    public static func transformBody(_ body: JSONValue, steps: [Step], clientFields: (String) -> String?) -> JSONValue {
        var body = body
        for step in steps {
            switch step {
            case .headers, .query: continue
            case .json(let edits): body = edits.apply(to: body)
            case .fieldFilter(let filter): body = filter.apply(to: body, clientFields: clientFields)
            case .envelope(let key): body = .object([key: body])
            case .unwrap(let key): body = body[key] ?? .null
            }
        }
        return body
    }
}

extension RouteTransforms.JSONEdits {
    /// Renames, then removals, then `set`, then `add` (set only where absent).
    public func apply(to body: JSONValue) -> JSONValue {
        var body = body
        for move in rename { body = body.renaming(move.from, to: move.to) }
        for path in remove { body = body.removing(path) }
        for item in set { body = body.setting(item.value, at: item.path) }
        for item in add { body = body.setting(item.value, at: item.path, onlyIfAbsent: true) }
        return body
    }
}

extension RouteTransforms.FieldFilter {
    /// The configured allow-list, narrowed by the client's `?fields=a,b.c` when it sends one.
    public func apply(to body: JSONValue, clientFields: (String) -> String?) -> JSONValue {
        var tree = allow
        if let parameter = queryParameter, let requested = clientFields(parameter), !requested.isEmpty {
            let asked = FieldTree(paths: requested.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            tree = tree.map { $0.intersection(asked) } ?? asked
            if tree?.children.isEmpty == true { return Self.emptied(body) }  // nothing allowed was asked for
        }
        return tree.map { body.keeping($0) } ?? body
    }

    /// Objects with no fields left (arrays keep their length).
    private static func emptied(_ body: JSONValue) -> JSONValue {
        switch body {
        case .object: .emptyObject
        case .array(let elements): .array(elements.map(emptied))
        default: body
        }
    }
}

extension RouteTransforms.NameValueEdits {
    /// A query string (without `?`) after the edits: renames, removals, `set`, then `add`.
    /// Names are compared as they appear (percent-encoded); values are percent-encoded here.
    public func apply(toQuery query: Substring) -> String {
        var items: [(name: String, value: String?)] = query.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : nil)
        }
        for pair in rename {
            for index in items.indices where items[index].name == pair.name { items[index].name = pair.value }
        }
        items.removeAll { remove.contains($0.name) }
        for pair in set {
            items.removeAll { $0.name == pair.name }
            items.append((pair.name, Self.encode(pair.value)))
        }
        for pair in add where !items.contains(where: { $0.name == pair.name }) { items.append((pair.name, Self.encode(pair.value))) }
        return items.map { item in item.value.map { "\(item.name)=\($0)" } ?? item.name }.joined(separator: "&")
    }

    private static func encode(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            let isUnreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            encoded += isUnreserved ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded
        }
        return encoded
    }
}

private extension String {
    var leftPadded: String { count < 2 ? "0" + self : self }
}
