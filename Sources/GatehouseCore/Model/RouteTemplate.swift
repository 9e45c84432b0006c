/// A parsed route path such as `/api/v1/weddings/{weddingId}/rsvps/*`: literal segments,
/// `{name}` parameters matching one segment, and an optional final `*` matching any tail.
public struct RouteTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One piece of the path.
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
        case wildcard
    }

    public let segments: [Segment]

    /// Why a template is invalid.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Parses a template; throws when it is not one.
    public init(_ text: String) throws(ParseError) {
        guard text.hasPrefix("/") else { throw ParseError(description: "must start with '/'") }
        guard !text.contains("//") else { throw ParseError(description: "must not contain empty segments") }
        guard text.count <= 2048 else { throw ParseError(description: "longer than 2048 characters") }
        var segments: [Segment] = []
        var names: Set<String> = []
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        for (index, part) in parts.enumerated() {
            if part == "*" {
                guard index == parts.count - 1 else { throw ParseError(description: "'*' may only be the last segment") }
                segments.append(.wildcard)
            } else if part.hasPrefix("{") && part.hasSuffix("}") {
                let name = String(part.dropFirst().dropLast())
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw ParseError(description: "parameter '\(part)' must be {letters, digits or _}")
                }
                guard names.insert(name).inserted else { throw ParseError(description: "parameter {\(name)} appears twice") }
                segments.append(.parameter(name))
            } else {
                guard !part.contains("{"), !part.contains("}"), !part.contains("*"), !part.contains("?"), !part.contains("#") else {
                    throw ParseError(description: "segment '\(part)' mixes literal text with '{', '}', '*', '?' or '#'")
                }
                segments.append(.literal(String(part)))
            }
        }
        self.segments = segments
    }

    /// The parameter names, in order.
    public var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }

    /// More specific templates sort first among equal priorities: literals beat parameters,
    /// parameters beat wildcards, longer beats shorter.
    public var specificity: [Int] {
        segments.map {
            switch $0 {
            case .literal: 3
            case .parameter: 2
            case .wildcard: 1
            }
        } + [0]
    }

    /// Matches a path's segments, returning the parameters (`*` as `"*"`).
    public func match(_ path: PathSegments) -> RouteParameters? {
        path.withBytes { matches(path, bytes: $0) } ? RouteParameters(template: segments, path: path) : nil
    }

    /// Whether `path` (whose bytes are `bytes`) matches: literals byte for byte, a parameter
    /// any one segment, `*` any tail.
    func matches(_ path: PathSegments, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in segments.indices {
            switch segments[index] {
            case .wildcard:
                return true
            case .literal(let literal):
                guard index < path.count, path.segment(index, in: bytes, is: literal) else { return false }
            case .parameter:
                guard index < path.count else { return false }
            }
        }
        return path.count == segments.count
    }

    /// Renders this template with the values of `parameters` (`*` names the tail): an
    /// upstream path rewrite. A trailing `/` left by an empty last value is dropped (never the
    /// root's). (A route table renders its matches with an ``UpstreamPathPlan``, to the same
    /// result.)
    public func render(_ parameters: [String: String]) -> String {
        guard !segments.isEmpty else { return "/" }
        var path = ""
        path.reserveCapacity(64)
        for segment in segments {
            path += "/"
            switch segment {
            case .literal(let literal): path += literal
            case .parameter(let name): path += parameters[name] ?? ""
            case .wildcard: path += parameters["*"] ?? ""
            }
        }
        if path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/") { path.removeLast() }
        return path
    }

    public var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let literal): literal
            case .parameter(let name): "{\(name)}"
            case .wildcard: "*"
            }
        }.joined(separator: "/")
    }
}
