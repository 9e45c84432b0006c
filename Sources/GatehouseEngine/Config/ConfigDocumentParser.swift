import Foundation
import Yams

/// Reads a ``ConfigDocument`` from YAML strictly: malformed YAML, unknown fields and wrong types
/// are errors naming the file, line and field.
public struct ConfigDocumentParser: Sendable {
    /// The file name used in error messages.
    public var fileName: String

    public init(fileName: String) { self.fileName = fileName }

    /// Parses `yaml`. Throws ``ConfigFileError``.
    public func parse(_ yaml: String) throws -> ConfigDocument {
        let root: Node
        do {
            root = try Yams.compose(yaml: yaml) ?? Node.mapping(Node.Mapping([]))
        } catch let error as YamlError {
            throw syntaxError(error)
        }
        guard case .mapping = root else {
            throw ConfigFileError(file: fileName, line: root.mark?.line, field: "", message: "the top level must be a mapping")
        }
        let document: ConfigDocument
        do {
            document = try YAMLDecoder().decode(ConfigDocument.self, from: root)
        } catch let error as DecodingError {
            throw decodingError(error, root: root)
        }
        try rejectUnknownFields(of: document, in: root)
        return document
    }

    /// Finds where a document path points in the YAML, for errors found after parsing.
    public func locate(_ path: DocumentPath, in yaml: String) -> (line: Int, column: Int)? {
        guard let root = try? Yams.compose(yaml: yaml) else { return nil }
        return Self.node(at: path.steps, in: root).mark.map { ($0.line, $0.column) }
    }

    /// Every mapping key in the input must survive a decode → encode round trip; a key that does
    /// not was ignored by the decoder, so it is unknown.
    private func rejectUnknownFields(of document: ConfigDocument, in root: Node) throws {
        let encoded = try Yams.compose(yaml: try YAMLEncoder().encode(document)) ?? Node.mapping(Node.Mapping([]))
        if let (path, node) = Self.firstUnknownKey(input: root, known: encoded, path: DocumentPath()) {
            throw ConfigFileError(
                file: fileName, line: node.mark?.line, column: node.mark?.column, field: path.description,
                message: "unknown field '\(node.string ?? "?")'"
            )
        }
    }

    private static func firstUnknownKey(input: Node, known: Node, path: DocumentPath) -> (DocumentPath, Node)? {
        switch (input, known) {
        case (.mapping(let inputMapping), .mapping(let knownMapping)):
            for (key, value) in inputMapping {
                guard let name = key.string else { return (path, key) }
                guard let knownValue = knownMapping[name] else {
                    if case .scalar = value, value.null != nil { continue }
                    return (path.key(name), key)
                }
                if let found = firstUnknownKey(input: value, known: knownValue, path: path.key(name)) { return found }
            }
        case (.sequence(let inputItems), .sequence(let knownItems)):
            for (index, (item, knownItem)) in zip(inputItems, knownItems).enumerated() {
                if let found = firstUnknownKey(input: item, known: knownItem, path: path.index(index)) { return found }
            }
        default:
            break
        }
        return nil
    }

    private func syntaxError(_ error: YamlError) -> ConfigFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigFileError(file: fileName, line: mark.line, column: mark.column, field: "", message: "invalid YAML: \(problem)")
        default:
            return ConfigFileError(file: fileName, field: "", message: "invalid YAML: \(error)")
        }
    }

    private func decodingError(_ error: DecodingError, root: Node) -> ConfigFileError {
        let (codingPath, message): ([any CodingKey], String) = switch error {
        case .keyNotFound(let key, let context): (context.codingPath + [key], "required field '\(key.stringValue)' is missing")
        case .typeMismatch(let type, let context): (context.codingPath, "expected \(Self.describe(type)): \(context.debugDescription)")
        case .valueNotFound(let type, let context): (context.codingPath, "expected \(Self.describe(type)), found nothing")
        case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
        @unknown default: ([], "\(error)")
        }
        let steps = codingPath.map { key in key.intValue.map(DocumentPath.Step.index) ?? .key(key.stringValue) }
        var located = Self.node(at: steps, in: root)
        if case .keyNotFound = error { located = Self.node(at: Array(steps.dropLast()), in: root) }
        return ConfigFileError(
            file: fileName, line: located.mark?.line, column: located.mark?.column, field: DocumentPath(steps).description, message: message
        )
    }

    /// The deepest node along `steps` (stopping where the path leaves the document).
    private static func node(at steps: [DocumentPath.Step], in root: Node) -> Node {
        var current = root
        for step in steps {
            switch step {
            case .key(let name):
                guard let next = current[name] else { return current }
                current = next
            case .index(let index):
                guard case .sequence(let items) = current, index < items.count else { return current }
                current = items[items.index(items.startIndex, offsetBy: index)]
            }
        }
        return current
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is Double.Type: "a number"
        default: "\(type)"
        }
    }
}
