#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which entries of a route table can match a path: a trie of the templates' leading literal
/// segments (`/api/v1/weddings/{id}` sits under `api` → `v1` → `weddings`). Walking a path's
/// segments down it collects exactly the entries whose literal prefix the path has, so a lookup
/// tests a handful of templates instead of every route of the gateway, and in the table's order.
///
/// Built once per snapshot, read on every request: the trie is kept in flat arrays of plain
/// numbers and bytes — no strings, dictionaries or nested arrays — so walking it copies no
/// references (no reference counting per request). A node's children are sorted by their bytes
/// and found by binary search, however many there are.
struct RoutePrefixIndex: Sendable {
    /// A node: its children (`edges[firstEdge ..< endEdge]`, sorted by segment bytes) and the
    /// entries whose leading literals end here (`positions[firstPosition ..< endPosition]`,
    /// ascending).
    private struct Node: Sendable {
        var firstEdge = 0, endEdge = 0
        var firstPosition = 0, endPosition = 0
        var hasEntries: Bool { endPosition > firstPosition }
    }

    /// A child: its literal segment (`literals[start ..< end]`) and its node.
    private struct Edge: Sendable {
        var start: Int, end: Int
        var node: Int
    }

    private let nodes: [Node]
    private let edges: [Edge]
    private let literals: [UInt8]
    private let positions: [Int]

    /// Indexes `templates` by position.
    init(_ templates: [RouteTemplate]) {
        // The trie as it grows: each node's children by segment bytes, and its entries.
        var children: [[[UInt8]: Int]] = [[:]]
        var entries: [[Int]] = [[]]
        for (position, template) in templates.enumerated() {
            var node = 0
            for case .literal(let text) in template.segments.prefix(while: { if case .literal = $0 { true } else { false } }) {
                let literal = Array(text.utf8)
                if let child = children[node][literal] {
                    node = child
                } else {
                    children.append([:])
                    entries.append([])
                    children[node][literal] = children.count - 1
                    node = children.count - 1
                }
            }
            entries[node].append(position)
        }
        // Flattened, each node's children sorted by their bytes.
        var nodes: [Node] = []
        var edges: [Edge] = []
        var literals: [UInt8] = []
        var positions: [Int] = []
        for node in children.indices {
            let firstEdge = edges.count
            for (segment, child) in children[node].sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                edges.append(Edge(start: literals.count, end: literals.count + segment.count, node: child))
                literals += segment
            }
            let firstPosition = positions.count
            positions += entries[node]
            nodes.append(Node(firstEdge: firstEdge, endEdge: edges.count, firstPosition: firstPosition, endPosition: positions.count))
        }
        self.nodes = nodes
        self.edges = edges
        self.literals = literals
        self.positions = positions
    }

    /// The positions of the entries that can match a path, ascending: those of the one node
    /// with entries its leading segments reach (a range of the index's positions — nothing
    /// allocated), or, when several such nodes are reached, all of theirs merged.
    struct Candidates: RandomAccessCollection {
        fileprivate let positions: [Int]
        fileprivate let range: Range<Int>

        var startIndex: Int { range.lowerBound }
        var endIndex: Int { range.upperBound }
        subscript(index: Int) -> Int { positions[index] }
    }

    /// The entries that can match `path` (its segments; `bytes` are its bytes).
    func candidates(_ path: PathSegments, bytes: UnsafeBufferPointer<UInt8>) -> Candidates {
        var reached = nodes[0]  // the one node with entries reached so far, while there is one
        var merged: [Int]?  // the entries of all, once a second node has some
        var node = 0
        for index in 0 ..< path.count {
            guard let child = child(of: node, path.segment(index, in: bytes)) else { break }
            node = child
            let next = nodes[node]
            guard next.hasEntries else { continue }
            if let collected = merged {
                merged = collected + positions[next.firstPosition ..< next.endPosition]
            } else if reached.hasEntries {
                merged = Array(positions[reached.firstPosition ..< reached.endPosition] + positions[next.firstPosition ..< next.endPosition])
            } else {
                reached = next
            }
        }
        if let merged {
            let sorted = merged.sorted()
            return Candidates(positions: sorted, range: sorted.indices)
        }
        return Candidates(positions: positions, range: reached.firstPosition ..< reached.endPosition)
    }

    /// The child of `node` under `segment`, compared byte for byte; found by binary search.
    private func child(of node: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Int? {
        var low = nodes[node].firstEdge
        var high = nodes[node].endEdge
        guard low < high else { return nil }
        return literals.withUnsafeBufferPointer { literals in
            while low < high {
                let middle = (low + high) / 2
                let edge = edges[middle]
                let order = Self.compare(wanted, UnsafeBufferPointer(rebasing: literals[edge.start ..< edge.end]))
                if order == 0 { return edge.node }
                if order < 0 { high = middle } else { low = middle + 1 }
            }
            return nil
        }
    }

    /// Byte order of `a` and `b`: negative, zero or positive.
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }
}
