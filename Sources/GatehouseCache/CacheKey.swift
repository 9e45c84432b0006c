import GatehouseCore
import NIOHTTP1

/// Cache keys, readable so operators can list and invalidate them:
/// `<gateway>:<path>?<sorted query>` (or the route's `cache_key_pattern` rendered with the path
/// parameters), then `|name=value` for each `vary_by` dimension, `|anonymous` or
/// `|authenticated` when no identity splits the entries, and the values of the upstream's
/// `Vary` fields.
public enum CacheKey {
    /// The key before the upstream's `Vary` is applied.
    public static func primary(
        gateway: String, path: Substring, query: Substring, pattern: String?, parameters: RouteParameters,
        dimensions: [(name: String, value: String)], authenticated: Bool, isPerConsumer: Bool
    ) -> String {
        let rendered = pattern.map { render($0, parameters) }
        let normalized = rendered == nil ? normalizedQuery(query) : ""
        let split = isPerConsumer ? "" : authenticated ? "|authenticated" : "|anonymous"
        let length = gateway.utf8.count + 1 + (rendered?.utf8.count ?? path.utf8.count) + (normalized.isEmpty ? 0 : 1 + normalized.utf8.count)
            + dimensions.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 } + split.utf8.count
        // Written once into a string of its exact length: a key is built for every request to a
        // cached route, and appending piece by piece checked and grew the string each time.
        return String(unsafeUninitializedCapacity: length) { buffer in
            var position = 0
            func put(_ text: some StringProtocol) {
                position += text.withUTF8Bytes { bytes in
                    UnsafeMutableBufferPointer(rebasing: buffer[position ..< position + bytes.count]).initialize(fromContentsOf: bytes)
                }
            }
            put(gateway)
            put(":")
            if let rendered {
                put(rendered)
            } else {
                put(path)
                if !normalized.isEmpty {
                    put("?")
                    put(normalized)
                }
            }
            for (name, value) in dimensions {
                put("|")
                put(name)
                put("=")
                put(value)
            }
            put(split)
            return position
        }
    }

    /// `primary` extended by the request's values of the fields the upstream's `Vary` named.
    public static func variant(_ primary: String, varyingOn names: [String], request headers: ReceivedFields) -> String {
        guard !names.isEmpty else { return primary }
        var key = primary
        for name in names {
            let value = headers[name].map { String($0[...].trimmingSpaces()) }.joined(separator: ",")
            key += "|\(name)=\(value)"
        }
        return key
    }

    /// Field names of a response's `Vary`, lowercased and sorted; `nil` for `Vary: *` (each
    /// request is different: nothing can be stored).
    public static func varyNames(_ headers: HTTPHeaders) -> [String]? {
        var names: Set<String> = []
        for value in headers[canonicalForm: "vary"] {
            let name = value.trimmingSpaces().lowercased()
            if name == "*" { return nil }
            if !name.isEmpty { names.insert(name) }
        }
        return names.sorted()
    }

    /// Query parameters in a stable order, so `?b=2&a=1` and `?a=1&b=2` share an entry (one
    /// parameter, or none, is already in order).
    static func normalizedQuery(_ query: Substring) -> Substring {
        guard query.utf8.contains(UInt8(ascii: "&")) else { return query }
        return Substring(query.split(separator: "&", omittingEmptySubsequences: true).sorted().joined(separator: "&"))
    }

    /// `weddings:{weddingId}` with the route's parameters filled in (`*` is the tail).
    static func render(_ pattern: String, _ parameters: RouteParameters) -> String {
        var result = ""
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += parameters[name] ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
