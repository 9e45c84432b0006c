import GatehouseCore

/// A request's fields with a ``FieldRewrite`` made, read in place: the received fields the
/// rewrite does not remove, in order, then the ones it adds — what
/// ``FieldRewrite/applied(to:)`` builds, without building it. Not copyable: handed down to the
/// encoder by borrowing, it is never copied on the way (a copy counts a reference to each of
/// the fields' and the edits' storages).
struct RewrittenFields: ~Copyable {
    let original: ReceivedFields
    let rewrite: FieldRewrite

    init(original: ReceivedFields, rewrite: FieldRewrite) {
        self.original = original
        self.rewrite = rewrite
    }

    /// `fields` as they are (no edits; nothing allocated for them).
    init(_ fields: ReceivedFields) {
        self.init(original: fields, rewrite: FieldRewrite(removals: 0, additions: 0))
    }

    /// Calls `body` with each field's name and value, in order (valid during the call only).
    func forEach(_ body: (FieldBytes, FieldBytes) -> Void) {
        original.forEach { name, value in
            let name = FieldBytes(bytes: name)
            if !rewrite.removes(name) { body(name, FieldBytes(bytes: value)) }
        }
        // Read where they are stored (no copy of a field, so no count taken on its strings).
        rewrite.added.withUnsafeBufferPointer { added in
            for index in added.indices {
                added[index].0.withUTF8Bytes { name in
                    added[index].1.withUTF8Bytes { value in
                        body(FieldBytes(bytes: UnsafeRawBufferPointer(name)), FieldBytes(bytes: UnsafeRawBufferPointer(value)))
                    }
                }
            }
        }
    }

    /// Whether a field is named `name` (lowercase).
    func contains(_ name: String) -> Bool {
        (original.contains(name: name) && !rewrite.removes(name)) || rewrite.firstAdded(name) != nil
    }

    /// The value of the first field named `name` (lowercase).
    func first(_ name: String) -> String? {
        if !rewrite.removes(name), let value = original.first(name: name) { return value }
        return rewrite.firstAdded(name)
    }
}
