/// Which entries of a route table can match a path: a trie of the templates' leading literal
/// segments (`/api/v1/weddings/{id}` sits under `api` → `v1` → `weddings`). Walking a path's
/// segments down it collects exactly the entries whose literal prefix the path has, so a lookup
/// tests a handful of templates instead of every route of the gateway, and in the table's order.
struct RoutePrefixIndex: Sendable {
    private struct Node: Sendable {
        var children: [SegmentBytes: Int] = [:]
        /// Entries (table positions, ascending) whose leading literals end here.
        var entries: [Int] = []
    }

    /// A path segment hashed and compared by its UTF-8 bytes, as paths are compared: a
    /// `Substring` key would hash and compare with Unicode equivalence (slower, and it takes
    /// a decomposed `é` for a precomposed one).
    private struct SegmentBytes: Hashable, Sendable {
        let text: Substring

        static func == (lhs: Self, rhs: Self) -> Bool { lhs.text.hasSameBytes(as: rhs.text) }

        func hash(into hasher: inout Hasher) {
            let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            if hashed == nil { Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
        }
    }

    private var nodes = [Node()]

    /// Indexes `templates` by position.
    init(_ templates: [RouteTemplate]) {
        for (position, template) in templates.enumerated() {
            var node = 0
            for case .literal(let literal) in template.segments.prefix(while: { if case .literal = $0 { true } else { false } }) {
                let key = SegmentBytes(text: Substring(literal))
                if let child = nodes[node].children[key] {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].children[key] = nodes.count - 1
                    node = nodes.count - 1
                }
            }
            nodes[node].entries.append(position)
        }
    }

    /// The positions of the entries that can match `path` (its segments), ascending.
    func candidates(_ path: [Substring]) -> [Int] {
        var found = nodes[0].entries
        var merged = false
        var node = 0
        for segment in path {
            guard let child = nodes[node].children[SegmentBytes(text: segment)] else { break }
            node = child
            let entries = nodes[node].entries
            guard !entries.isEmpty else { continue }
            if found.isEmpty {
                found = entries  // shared, not copied: most paths reach entries at one node only
            } else {
                found += entries
                merged = true
            }
        }
        return merged ? found.sorted() : found
    }
}
