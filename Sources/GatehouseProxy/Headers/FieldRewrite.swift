import GatehouseCore
import NIOHTTP1

/// Field edits gathered from several steps and applied in one pass: every field named (in any
/// case) it removes goes, the rest keep their order, then `added` follow in the order they
/// were given. Equivalent to the steps' `remove(name:)`/`replaceOrAdd`/`add` calls one after
/// the other, without a scan and an array copy per call.
struct FieldRewrite {
    /// The names removed: the first `removedCount` (any after them are an earlier request's,
    /// left to be overwritten — see ``removeAll()``).
    private var removedNames: [String]
    private var removedCount = 0
    /// The fields added: the first `addedCount`, likewise.
    private var addedFields: [(String, String)]
    private var addedCount = 0
    /// Most of a message's fields are ruled out by their name's length alone, without comparing
    /// it with every removed name.
    private var removedLengths = NameLengths()
    /// The same for the names added.
    private var addedLengths = NameLengths()

    /// Room for `removals` names and `additions` fields, so gathering them allocates once each.
    init(removals: Int = 8, additions: Int = 4) {
        removedNames = []
        removedNames.reserveCapacity(removals)
        addedFields = []
        addedFields.reserveCapacity(additions)
    }

    /// The names removed, in the order they were given.
    var removed: ArraySlice<String> { removedNames[..<removedCount] }

    /// The fields added, in the order they were given.
    var added: ArraySlice<(String, String)> { addedFields[..<addedCount] }

    /// Runs `body` on these edits in place, then forgets them, keeping the storage: edits kept
    /// this way for every request allocate nothing. (Handing a copy out and back instead leaves
    /// two owners of the arrays when they are emptied, and emptying shared arrays allocates.)
    mutating func reusing<Result>(_ body: (inout FieldRewrite) -> Result) -> Result {
        defer { removeAll() }
        return body(&self)
    }

    /// Forgets every edit, keeping the storage and the strings in it until later edits
    /// overwrite them: emptying the arrays would destroy each added field through the
    /// runtime's generic tuple destruction, which cost more than a request's other edits.
    mutating func removeAll() {
        removedCount = 0
        addedCount = 0
        removedLengths = NameLengths()
        addedLengths = NameLengths()
    }

    /// Removes every field named `name`.
    mutating func remove(_ name: String) {
        if removedCount < removedNames.count {
            removedNames[removedCount] = name
        } else {
            removedNames.append(name)
        }
        removedCount += 1
        removedLengths.insert(name)
    }

    /// Removes every field named in `names`.
    mutating func remove(_ names: some Sequence<String>) {
        for name in names { remove(name) }
    }

    /// Appends a field.
    mutating func add(_ name: String, _ value: String) {
        if addedCount < addedFields.count {
            addedFields[addedCount] = (name, value)
        } else {
            addedFields.append((name, value))
        }
        addedCount += 1
        addedLengths.insert(name)
    }

    /// The value of the first field added named `name` (any case).
    func firstAdded(_ name: some FieldName) -> String? {
        guard addedLengths.mayContain(name) else { return nil }
        for index in 0 ..< addedCount where name.isNamed(addedFields[index].0) { return addedFields[index].1 }
        return nil
    }

    /// Sets `name` to `value`, replacing whatever the message has under that name.
    mutating func replace(_ name: String, with value: String) {
        remove(name)
        add(name, value)
    }

    /// Whether the edits remove fields named `name` (any case).
    func removes(_ name: some FieldName) -> Bool {
        removedLengths.mayContain(name) && removed.contains { name.isNamed($0) }
    }

    /// `fields` with the edits made, as NIO's headers (for the steps that edit them further).
    func applied(to fields: ReceivedFields) -> HTTPHeaders {
        var edited: [(String, String)] = []
        edited.reserveCapacity(fields.count + addedCount)
        RewrittenFields(original: fields, rewrite: self).forEach { edited.append(($0.string, $1.string)) }
        return HTTPHeaders(edited)
    }
}
