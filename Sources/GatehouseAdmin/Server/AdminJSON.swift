import Foundation

extension JSONEncoder {
    /// How the admin API writes JSON: stable key order, slashes unescaped.
    static var admin: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
