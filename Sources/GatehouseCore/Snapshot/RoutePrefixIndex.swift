/// Which entries of a route table can match a path: a trie of the templates' leading literal
/// segments (`/api/v1/weddings/{id}` sits under `api` → `v1` → `weddings`). Walking a path's
/// segments down it collects exactly the entries whose literal prefix the path has, so a lookup
/// tests a handful of templates instead of every route of the gateway, and in the table's order.
struct RoutePrefixIndex: Sendable {
    private struct Node: Sendable {
        /// The literal segments below this one and their nodes, found by comparing bytes while
        /// there are few (most nodes: a hash per segment would cost more than the comparisons).
        var literals: [String] = []
        var children: [Int] = []
        /// The same, hashed, once there are many.
        var lookup: [SegmentBytes: Int]?
        /// Entries (table positions, ascending) whose leading literals end here.
        var entries: [Int] = []

        static let comparedChildren = 8

        func child(_ segment: Substring) -> Int? {
            if let lookup { return lookup[SegmentBytes(text: segment)] }
            return literals.firstIndex { segment.hasSameBytes(as: $0) }.map { children[$0] }
        }

        mutating func add(_ literal: String, child: Int) {
            literals.append(literal)
            children.append(child)
            if literals.count > Self.comparedChildren {
                lookup = Dictionary(uniqueKeysWithValues: zip(literals.map { SegmentBytes(text: $0[...]) }, children))
            }
        }
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
                if let child = nodes[node].child(literal[...]) {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].add(literal, child: nodes.count - 1)
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
