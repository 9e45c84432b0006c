/// Which entries of a route table can match a path: a trie of the templates' leading literal
/// segments (`/api/v1/weddings/{id}` sits under `api` → `v1` → `weddings`). Walking a path's
/// segments down it collects exactly the entries whose literal prefix the path has, so a lookup
/// tests a handful of templates instead of every route of the gateway, and in the table's order.
struct RoutePrefixIndex: Sendable {
    private struct Node: Sendable {
        var children: [Substring: Int] = [:]
        /// Entries (table positions, ascending) whose leading literals end here.
        var entries: [Int] = []
    }

    private var nodes = [Node()]

    /// Indexes `templates` by position.
    init(_ templates: [RouteTemplate]) {
        for (position, template) in templates.enumerated() {
            var node = 0
            for case .literal(let literal) in template.segments.prefix(while: { if case .literal = $0 { true } else { false } }) {
                let key = Substring(literal)
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
        var node = 0
        for segment in path {
            guard let child = nodes[node].children[segment] else { break }
            node = child
            found += nodes[node].entries
        }
        return found.count > 1 ? found.sorted() : found
    }
}
