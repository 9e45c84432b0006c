import GatehouseCore
import NIOHTTP1

extension HTTPHeaders {
    /// Sets each of `fields`, replacing what the message has under their names: one pass over
    /// the message for all of them, where `replaceOrAdd(name:value:)` scans it once per field.
    public mutating func replaceOrAdd(_ fields: [(String, String)]) {
        var replaced: [String] = []
        for field in self where fields.contains(where: { field.name.equalsIgnoringASCIICase($0.0) }) {
            if !replaced.contains(where: { field.name.equalsIgnoringASCIICase($0) }) { replaced.append(field.name) }
        }
        for name in replaced { remove(name: name) }
        for (name, value) in fields { add(name: name, value: value) }
    }
}
