/// A route's `transformation_config` compiled into typed steps, applied in order. Request
/// steps: `headers`, `query`, `json`; response steps: `headers`, `json`, `field_filter`,
/// `envelope`, `unwrap`. Each step's `config`:
///
/// - `headers` / `query`: `set` (`{name: value}`, replacing), `add` (only when absent),
///   `remove` (`[name]`), `rename` (`{from: to}`)
/// - `json`: `set` / `add` (`{path: value}`), `remove` (`[path]`), `rename` (`{path: path}`) —
///   dotted paths, applied to each element of arrays on the way
/// - `field_filter`: `allow` (`[path]`, the most a client gets) and `query_parameter` (default
///   `fields`: the client's `?fields=id,guests.name` narrows the response further; `null` turns it off)
/// - `envelope`: `key` (default `data`) — the body becomes `{key: body}`; `unwrap`: `key` — the
///   body becomes `body[key]`
public struct RouteTransforms: Sendable, Hashable {
    public enum Step: Sendable, Hashable {
        case headers(NameValueEdits)
        case query(NameValueEdits)
        case json(JSONEdits)
        case fieldFilter(FieldFilter)
        case envelope(key: String)
        case unwrap(key: String)

        /// Whether the step needs the whole (JSON) body.
        public var touchesBody: Bool {
            switch self {
            case .headers, .query: false
            case .json, .fieldFilter, .envelope, .unwrap: true
            }
        }
    }

    /// Edits of named values (header fields or query parameters).
    public struct NameValueEdits: Sendable, Hashable {
        public var set: [Pair] = []
        public var add: [Pair] = []
        public var remove: [String] = []
        public var rename: [Pair] = []
    }

    public struct Pair: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public struct JSONEdits: Sendable, Hashable {
        public var set: [PathValue] = []
        public var add: [PathValue] = []
        public var remove: [[String]] = []
        public var rename: [PathMove] = []
    }

    public struct PathValue: Sendable, Hashable {
        public var path: [String]
        public var value: JSONValue
    }

    public struct PathMove: Sendable, Hashable {
        public var from: [String]
        public var to: [String]
    }

    public struct FieldFilter: Sendable, Hashable {
        /// `nil`: no configured limit.
        public var allow: FieldTree?
        /// The query parameter a client narrows with; `nil`: clients cannot.
        public var queryParameter: String?
    }

    public var request: [Step]
    public var response: [Step]

    /// A refused step, with the field at fault.
    public struct Invalid: Error, Sendable {
        public var field: String
        public var reason: String
    }

    public init(_ config: TransformationConfig) throws(Invalid) {
        request = try Self.steps(config.requestTransforms, field: "transformation_config.request_transforms", allowed: ["headers", "query", "json"])
        response = try Self.steps(
            config.responseTransforms, field: "transformation_config.response_transforms",
            allowed: ["headers", "json", "field_filter", "envelope", "unwrap"]
        )
    }

    public var isEmpty: Bool { request.isEmpty && response.isEmpty }

    private static func steps(_ steps: [TransformStep], field: String, allowed: [String]) throws(Invalid) -> [Step] {
        var compiled: [Step] = []
        for (index, step) in steps.enumerated() {
            let here = "\(field)[\(index)]"
            guard allowed.contains(step.type) else {
                throw Invalid(field: "\(here).type", reason: "must be one of \(allowed.joined(separator: ", "))")
            }
            let config = try object(step.config, "\(here).config")
            switch step.type {
            case "headers": compiled.append(.headers(try nameValueEdits(config, "\(here).config", headerNames: true)))
            case "query": compiled.append(.query(try nameValueEdits(config, "\(here).config", headerNames: false)))
            case "json": compiled.append(.json(try jsonEdits(config, "\(here).config")))
            case "field_filter":
                try only(config, ["allow", "query_parameter"], "\(here).config")
                let allow = try config["allow"].map { value throws(Invalid) in FieldTree(paths: try strings(value, "\(here).config.allow")) }
                var parameter: String? = "fields"
                if let value = config["query_parameter"] {
                    if case .null = value { parameter = nil } else { parameter = try string(value, "\(here).config.query_parameter") }
                }
                compiled.append(.fieldFilter(FieldFilter(allow: allow, queryParameter: parameter)))
            case "envelope", "unwrap":
                try only(config, ["key"], "\(here).config")
                let key = try config["key"].map { value throws(Invalid) in try string(value, "\(here).config.key") } ?? "data"
                compiled.append(step.type == "envelope" ? .envelope(key: key) : .unwrap(key: key))
            default: break
            }
        }
        return compiled
    }

    private static func nameValueEdits(_ config: [String: JSONValue], _ field: String, headerNames: Bool) throws(Invalid) -> NameValueEdits {
        try only(config, ["set", "add", "remove", "rename"], field)
        func pairs(_ key: String) throws(Invalid) -> [Pair] {
            guard let value = config[key] else { return [] }
            return try object(value, "\(field).\(key)").sorted { $0.key < $1.key }.map { name, value throws(Invalid) in
                try checkName(name, "\(field).\(key)", header: headerNames)
                return Pair(name: name, value: try string(value, "\(field).\(key).\(name)"))
            }
        }
        var edits = NameValueEdits(set: try pairs("set"), add: try pairs("add"), rename: try pairs("rename"))
        edits.remove = try config["remove"].map { value throws(Invalid) in try strings(value, "\(field).remove") } ?? []
        for pair in edits.rename { try checkName(pair.value, "\(field).rename.\(pair.name)", header: headerNames) }
        return edits
    }

    private static func jsonEdits(_ config: [String: JSONValue], _ field: String) throws(Invalid) -> JSONEdits {
        try only(config, ["set", "add", "remove", "rename"], field)
        func values(_ key: String) throws(Invalid) -> [PathValue] {
            guard let value = config[key] else { return [] }
            return try object(value, "\(field).\(key)").sorted { $0.key < $1.key }.map { path, value throws(Invalid) in
                PathValue(path: try checkPath(path, "\(field).\(key)"), value: value)
            }
        }
        var edits = JSONEdits(set: try values("set"), add: try values("add"))
        edits.remove = try (config["remove"].map { value throws(Invalid) in try strings(value, "\(field).remove") } ?? []).map { path throws(Invalid) in
            try checkPath(path, "\(field).remove")
        }
        if let renames = config["rename"] {
            edits.rename = try object(renames, "\(field).rename").sorted { $0.key < $1.key }.map { from, to throws(Invalid) in
                PathMove(from: try checkPath(from, "\(field).rename"), to: try checkPath(try string(to, "\(field).rename.\(from)"), "\(field).rename.\(from)"))
            }
        }
        return edits
    }

    private static func object(_ value: JSONValue, _ field: String) throws(Invalid) -> [String: JSONValue] {
        guard case .object(let object) = value else { throw Invalid(field: field, reason: "must be an object") }
        return object
    }

    private static func string(_ value: JSONValue, _ field: String) throws(Invalid) -> String {
        guard case .string(let text) = value else { throw Invalid(field: field, reason: "must be a string") }
        return text
    }

    private static func strings(_ value: JSONValue, _ field: String) throws(Invalid) -> [String] {
        guard case .array(let items) = value else { throw Invalid(field: field, reason: "must be an array of strings") }
        return try items.map { item throws(Invalid) in try string(item, field) }
    }

    private static func only(_ config: [String: JSONValue], _ keys: Set<String>, _ field: String) throws(Invalid) {
        if let unknown = config.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Invalid(field: "\(field).\(unknown)", reason: "unknown setting; expected \(keys.sorted().joined(separator: ", "))")
        }
    }

    private static func checkName(_ name: String, _ field: String, header: Bool) throws(Invalid) {
        let valid = !name.isEmpty && name.utf8.allSatisfy { header ? ($0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":")) : ($0 > 0x20 && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "=")) }
        guard valid else { throw Invalid(field: field, reason: "'\(name)' is not a valid \(header ? "header field" : "query parameter") name") }
    }

    private static func checkPath(_ path: String, _ field: String) throws(Invalid) -> [String] {
        let segments = JSONValue.pathSegments(path)
        guard !segments.contains(where: \.isEmpty) else { throw Invalid(field: field, reason: "'\(path)' is not a dotted field path") }
        return segments
    }
}
