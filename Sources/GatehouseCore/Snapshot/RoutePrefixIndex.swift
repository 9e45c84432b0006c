/// Which entries of a route table can match a path: a trie of the templates' leading literal
/// segments (`/api/v1/weddings/{id}` sits under `api` → `v1` → `weddings`). Walking a path's
/// segments down it collects exactly the entries whose literal prefix the path has, so a lookup
/// tests a handful of templates instead of every route of the gateway, and in the table's order.
struct RoutePrefixIndex: Sendable {
    private struct Node: Sendable {
        /// The next literal segments and their nodes, in the order they were added.
        var children: [(segment: String, node: Int)] = []
        /// The same, hashed by their bytes, once there are more than ``linearChildren`` of them.
        var childrenByBytes: [SegmentBytes: Int]?
        /// Entries (table positions, ascending) whose leading literals end here.
        var entries: [Int] = []

        /// The child under `segment`, compared byte for byte.
        func child(_ segment: Substring) -> Int? {
            if let childrenByBytes { return childrenByBytes[SegmentBytes(text: segment)] }
            for child in children where child.segment.hasSameBytes(as: segment) { return child.node }
            return nil
        }
    }

    /// Up to this many children are compared one by one: a few short comparisons cost less than
    /// hashing the segment (a hashed lookup is ~40 ns whatever the fan-out).
    private static let linearChildren = 8

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
                if let child = nodes[node].child(Substring(literal)) {
                    node = child
                } else {
                    nodes.append(Node())
                    addChild(literal, nodes.count - 1, to: node)
                    node = nodes.count - 1
                }
            }
            nodes[node].entries.append(position)
        }
    }

    private mutating func addChild(_ segment: String, _ child: Int, to parent: Int) {
        nodes[parent].children.append((segment, child))
        if nodes[parent].children.count > Self.linearChildren {
            nodes[parent].childrenByBytes = Dictionary(
                uniqueKeysWithValues: nodes[parent].children.map { (SegmentBytes(text: Substring($0.segment)), $0.node) }
            )
        }
    }

    /// The positions of the entries that can match `path` (its segments), ascending.
    func candidates(_ path: [Substring]) -> [Int] {
        var found = nodes[0].entries
        var merged = false
        var node = 0
        for segment in path {
            guard let child = nodes[node].child(segment) else { break }
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
