import GatehouseCore
import NIOHTTP1

/// A message's fields with a ``FieldRewrite`` made, read in place: the original fields the
/// rewrite does not remove, in order, then the ones it adds — what
/// ``FieldRewrite/applied(to:)`` builds, without building it.
struct RewrittenFields {
    let original: HTTPHeaders
    let rewrite: FieldRewrite

    init(original: HTTPHeaders, rewrite: FieldRewrite) {
        self.original = original
        self.rewrite = rewrite
    }

    /// `fields` as they are (no edits; nothing allocated for them).
    init(_ fields: HTTPHeaders) {
        self.init(original: fields, rewrite: FieldRewrite(removals: 0, additions: 0))
    }

    /// Calls `body` with each field, in order.
    func forEach(_ body: (String, String) -> Void) {
        for (name, value) in original where !rewrite.removes(name) { body(name, value) }
        for (name, value) in rewrite.added { body(name, value) }
    }

    /// Whether a field is named `name` (lowercase).
    func contains(_ name: String) -> Bool {
        (original.contains(name: name) && !rewrite.removes(name)) || rewrite.added.contains { $0.0.equalsIgnoringASCIICase(name) }
    }

    /// The value of the first field named `name` (lowercase).
    func first(_ name: String) -> String? {
        if !rewrite.removes(name), let value = original.first(name: name) { return value }
        return rewrite.added.first { $0.0.equalsIgnoringASCIICase(name) }?.1
    }
}
