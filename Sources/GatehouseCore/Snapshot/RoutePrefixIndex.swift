/// Which entries of a route table can match a path: a trie of the templates' leading literal
/// segments (`/api/v1/weddings/{id}` sits under `api` → `v1` → `weddings`). Walking a path's
/// segments down it collects exactly the entries whose literal prefix the path has, so a lookup
/// tests a handful of templates instead of every route of the gateway, and in the table's order.
struct RoutePrefixIndex: Sendable {
    private struct Node: Sendable {
        /// Each literal under this one and its node. Looked up by comparing bytes: a node has a
        /// few children, and hashing a `Substring` (Unicode-aware) costs more than the compares.
        var children: [(literal: String, node: Int)] = []
        /// The same, by literal, once there are too many children to compare in turn.
        var childIndex: [String: Int]?
        /// Entries (table positions, ascending) whose leading literals end here.
        var entries: [Int] = []

        /// Children beyond which a lookup uses `childIndex`.
        static let comparedChildren = 8

        func child(_ segment: Substring) -> Int? {
            if let childIndex { return childIndex[String(segment)] }
            return children.first { $0.literal.utf8.elementsEqual(segment.utf8) }?.node
        }

        mutating func add(_ literal: String, node: Int) {
            children.append((literal, node))
            if children.count > Self.comparedChildren {
                childIndex = Dictionary(children, uniquingKeysWith: { first, _ in first })
            }
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
                    nodes[node].add(literal, node: nodes.count - 1)
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
