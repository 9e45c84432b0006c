/// Dotted paths into JSON (`guests.name`): reading, setting, removing and keeping only some
/// fields. A path crossing an array applies to each of its elements, so `guests.email` reaches
/// the `email` of every guest.
extension JSONValue {
    /// Splits `a.b.c` into its segments.
    public static func pathSegments(_ path: String) -> [String] {
        path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The value at `path` (for an array on the way, the first element that has it).
    public func value(at path: [String]) -> JSONValue? {
        guard let first = path.first else { return self }
        switch self {
        case .object(let object): return object[first]?.value(at: Array(path.dropFirst()))
        case .array(let elements): return elements.lazy.compactMap { $0.value(at: path) }.first
        default: return nil
        }
    }

    /// This value with `path` removed.
    public func removing(_ path: [String]) -> JSONValue {
        guard let first = path.first else { return self }
        switch self {
        case .object(var object):
            if path.count == 1 {
                object[first] = nil
            } else if let child = object[first] {
                object[first] = child.removing(Array(path.dropFirst()))
            }
            return .object(object)
        case .array(let elements): return .array(elements.map { $0.removing(path) })
        default: return self
        }
    }

    /// This value with `value` at `path` (objects created on the way); with `onlyIfAbsent`, an
    /// existing value is kept.
    public func setting(_ value: JSONValue, at path: [String], onlyIfAbsent: Bool = false) -> JSONValue {
        guard let first = path.first else { return onlyIfAbsent ? self : value }
        switch self {
        case .object(var object):
            if path.count == 1 {
                if !(onlyIfAbsent && object[first] != nil) { object[first] = value }
            } else {
                object[first] = (object[first] ?? .emptyObject).setting(value, at: Array(path.dropFirst()), onlyIfAbsent: onlyIfAbsent)
            }
            return .object(object)
        case .array(let elements): return .array(elements.map { $0.setting(value, at: path, onlyIfAbsent: onlyIfAbsent) })
        default: return self
        }
    }

    /// This value with the field at `from` moved to `to` (nothing happens when it is absent).
    public func renaming(_ from: [String], to: [String]) -> JSONValue {
        if case .array(let elements) = self { return .array(elements.map { $0.renaming(from, to: to) }) }
        guard let moved = value(at: from) else { return self }
        return removing(from).setting(moved, at: to)
    }

    /// Only the fields `allowed` names (a tree of paths); objects inside arrays are filtered
    /// element by element. An empty tree keeps everything below it.
    public func keeping(_ allowed: FieldTree) -> JSONValue {
        guard !allowed.children.isEmpty else { return self }
        switch self {
        case .object(let object):
            var kept: [String: JSONValue] = [:]
            for (name, subtree) in allowed.children { if let value = object[name] { kept[name] = value.keeping(subtree) } }
            return .object(kept)
        case .array(let elements): return .array(elements.map { $0.keeping(allowed) })
        default: return self
        }
    }
}

/// A set of dotted paths as a tree: `["id", "guests.name"]` keeps `id` whole and, of `guests`,
/// only `name`.
public struct FieldTree: Sendable, Hashable {
    public var children: [String: FieldTree] = [:]

    public init(paths: [String]) {
        for path in paths where !path.isEmpty { insert(JSONValue.pathSegments(path)[...]) }
    }

    init() {}

    private mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first, !first.isEmpty else { return }
        let rest = path.dropFirst()
        if rest.isEmpty {
            children[first] = FieldTree()  // the whole field
        } else if children[first].map({ !$0.children.isEmpty }) ?? true {
            var child = children[first] ?? FieldTree()
            child.insert(rest)
            children[first] = child
        }
    }

    /// The paths both trees allow (used when a client narrows a configured allow-list).
    public func intersection(_ other: FieldTree) -> FieldTree {
        var result = FieldTree()
        for (name, mine) in children {
            guard let theirs = other.children[name] else { continue }
            if mine.children.isEmpty { result.children[name] = theirs } else if theirs.children.isEmpty { result.children[name] = mine } else {
                let both = mine.intersection(theirs)
                if !both.children.isEmpty { result.children[name] = both }
            }
        }
        return result
    }
}
