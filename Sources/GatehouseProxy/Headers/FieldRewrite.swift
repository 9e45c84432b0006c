import GatehouseCore
import NIOHTTP1

/// Field edits gathered from several steps and applied in one pass: every field named (in any
/// case) in `removed` goes, the rest keep their order, then `added` follow in the order they
/// were given. Equivalent to the steps' `remove(name:)`/`replaceOrAdd`/`add` calls one after
/// the other, without a scan and an array copy per call.
struct FieldRewrite {
    private(set) var removed: [String]
    private(set) var added: [(String, String)]
    /// Most of a message's fields are ruled out by their name's length alone, without comparing
    /// it with every removed name.
    private var removedLengths = NameLengths()

    /// Room for `removals` names and `additions` fields, so gathering them allocates once each.
    init(removals: Int = 8, additions: Int = 4) {
        removed = []
        removed.reserveCapacity(removals)
        added = []
        added.reserveCapacity(additions)
    }

    /// Runs `body` on these edits in place, then forgets them, keeping the storage: edits kept
    /// this way for every request allocate nothing. (Handing a copy out and back instead leaves
    /// two owners of the arrays when they are emptied, and emptying shared arrays allocates.)
    mutating func reusing<Result>(_ body: (inout FieldRewrite) -> Result) -> Result {
        defer { removeAll() }
        return body(&self)
    }

    /// Forgets every edit, keeping the storage.
    mutating func removeAll() {
        removed.removeAll(keepingCapacity: true)
        added.removeAll(keepingCapacity: true)
        removedLengths = NameLengths()
    }

    /// Removes every field named `name`.
    mutating func remove(_ name: String) {
        removed.append(name)
        removedLengths.insert(name)
    }

    /// Removes every field named in `names`.
    mutating func remove(_ names: some Sequence<String>) {
        for name in names { remove(name) }
    }

    /// Appends a field.
    mutating func add(_ name: String, _ value: String) {
        added.append((name, value))
    }

    /// Sets `name` to `value`, replacing whatever the message has under that name.
    mutating func replace(_ name: String, with value: String) {
        remove(name)
        added.append((name, value))
    }

    /// Whether the edits remove fields named `name` (any case).
    func removes(_ name: some FieldName) -> Bool {
        removedLengths.mayContain(name) && removed.contains { name.isNamed($0) }
    }

    /// `fields` with the edits made, as NIO's headers (for the steps that edit them further).
    func applied(to fields: ReceivedFields) -> HTTPHeaders {
        var edited: [(String, String)] = []
        edited.reserveCapacity(fields.count + added.count)
        RewrittenFields(original: fields, rewrite: self).forEach { edited.append(($0.string, $1.string)) }
        return HTTPHeaders(edited)
    }
}
