/// A problem in a configuration file, located by file, line, column and field path.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Dotted field path, e.g. `gateways[0].routes[2].cache_config.ttl`.
    public var field: String
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// A path into a document: keys and array indexes.
public struct DocumentPath: Sendable, Hashable, CustomStringConvertible {
    /// One step.
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var steps: [Step]

    public init(_ steps: [Step] = []) { self.steps = steps }

    /// This path extended by a key.
    public func key(_ name: String) -> DocumentPath { DocumentPath(steps + [.key(name)]) }
    /// This path extended by an index.
    public func index(_ index: Int) -> DocumentPath { DocumentPath(steps + [.index(index)]) }

    /// This path extended by a dotted field name such as `cache_config.ttl` or `scopes[1]`.
    public func field(_ dotted: String) -> DocumentPath {
        var path = self
        for part in dotted.split(separator: ".") {
            var name = Substring(part)
            var indexes: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"), let index = Int(name[name.index(after: open) ..< name.index(before: name.endIndex)]) {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            path = path.key(String(name))
            for index in indexes { path = path.index(index) }
        }
        return path
    }

    public var description: String {
        steps.reduce(into: "") { text, step in
            switch step {
            case .key(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let index): text += "[\(index)]"
            }
        }
    }
}
