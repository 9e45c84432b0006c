import GatehouseCore
import NIOHTTP1

/// Edits of several fields at once: one pass over the message finds which of the names it
/// carries (usually none), where `remove(name:)` and `replaceOrAdd(name:value:)` scan it once
/// per name.
extension HTTPHeaders {
    /// Sets each of `fields`, replacing what the message has under their names.
    public mutating func replaceOrAdd(_ fields: [(String, String)]) {
        remove(allNamed: fields.map(\.0))
        for (name, value) in fields { add(name: name, value: value) }
    }

    /// Removes every field named (in any case) in `names`.
    public mutating func remove(allNamed names: [String]) {
        var present: [String] = []
        for field in self where names.contains(where: { field.name.equalsIgnoringASCIICase($0) }) {
            if !present.contains(where: { field.name.equalsIgnoringASCIICase($0) }) { present.append(field.name) }
        }
        for name in present { remove(name: name) }
    }
}
