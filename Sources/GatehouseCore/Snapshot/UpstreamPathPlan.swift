/// A route's `upstream_path` compiled against its `route_path` when the route table is built:
/// each piece of the upstream path is either literal text or the matched path's segment at a
/// known position (a parameter), or its segments from one on (the `*` tail). Rendering a
/// request's upstream path then looks no parameter up by name and appends nothing piece by
/// piece: it copies bytes into one string of its exact length.
///
/// Renders what ``RouteTemplate/render(_:)`` renders for the match's parameters: a parameter
/// the route path lacks renders empty, and one trailing `/` an empty last piece leaves is
/// dropped (never the root's).
struct UpstreamPathPlan: Sendable {
    enum Piece: Sendable, Equatable {
        /// `/` and the text (`/` alone for a piece that renders empty whatever the path).
        case literal([UInt8])
        /// `/` and the path's segment at this position.
        case segment(Int)
        /// `/` and the path's segments from this position on, joined by `/`.
        case tail(from: Int)
    }

    let pieces: [Piece]

    /// The plan for sending a path matched by `route` to `upstream`.
    init(route: RouteTemplate, upstream: RouteTemplate) {
        func position(of wanted: RouteTemplate.Segment) -> Int? {
            route.segments.firstIndex { segment in
                switch (segment, wanted) {
                case (.parameter(let name), .parameter(let wantedName)): name == wantedName
                case (.wildcard, .wildcard): true
                default: false
                }
            }
        }
        pieces = upstream.segments.map { segment in
            switch segment {
            case .literal(let text): return .literal(Array(("/" + text).utf8))
            case .parameter: return position(of: segment).map { .segment($0) } ?? .literal(Array("/".utf8))
            case .wildcard: return position(of: segment).map { .tail(from: $0) } ?? .literal(Array("/".utf8))
            }
        }
    }

    /// The upstream path for `path` (a path the route's template matched).
    func render(_ path: PathSegments) -> String {
        guard !pieces.isEmpty else { return "/" }
        let length = pieces.reduce(0) { $0 + Self.length(of: $1, in: path) }
        return path.withBytes { bytes in
            String(unsafeUninitializedCapacity: length) { target in
                var cursor = target.baseAddress!
                func put(_ source: UnsafeBufferPointer<UInt8>) {
                    guard let start = source.baseAddress else { return }
                    cursor.initialize(from: start, count: source.count)
                    cursor += source.count
                }
                func putSlash() {
                    cursor.initialize(to: UInt8(ascii: "/"))
                    cursor += 1
                }
                for piece in pieces {
                    switch piece {
                    case .literal(let text):
                        text.withUnsafeBufferPointer(put)
                    case .segment(let position):
                        putSlash()
                        put(path.segment(position, in: bytes))
                    case .tail(let from):
                        putSlash()
                        for position in from ..< max(from, path.count) {
                            if position > from { putSlash() }
                            put(path.segment(position, in: bytes))
                        }
                    }
                }
                let written = cursor - target.baseAddress!
                return written > 1 && target[written - 1] == UInt8(ascii: "/") ? written - 1 : written
            }
        }
    }

    /// How many bytes `piece` renders to for `path`.
    private static func length(of piece: Piece, in path: PathSegments) -> Int {
        switch piece {
        case .literal(let text):
            text.count
        case .segment(let position):
            1 + path.segmentLength(position)
        case .tail(let from):
            from < path.count ? (from ..< path.count).reduce(0) { $0 + 1 + path.segmentLength($1) } : 1
        }
    }
}
