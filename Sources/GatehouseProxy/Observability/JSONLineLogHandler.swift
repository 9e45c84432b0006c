import Foundation
import GatehouseCore
import Logging

/// A swift-log handler writing each entry as one JSON object per line — `time`, `level`,
/// `message` and the metadata as fields — through a ``LineWriter``.
public struct JSONLineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let writer: LineWriter

    public init(writer: LineWriter) {
        self.writer = writer
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: JSONValue] = ["time": .string(Timestamp.now().rfc3339), "level": .string(event.level.rawValue), "message": .string("\(event.message)")]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = Self.json(value) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(JSONValue.object(fields)) else { return }
        writer.write(String(decoding: data, as: UTF8.self))
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value):
            if let number = value as? any BinaryInteger { .number(Double(number)) } else if let number = value as? Double { .number(number) } else { .string(value.description) }
        case .array(let items): .array(items.map(json))
        case .dictionary(let object): .object(object.mapValues(json))
        }
    }
}
