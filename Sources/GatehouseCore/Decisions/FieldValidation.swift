import Foundation

/// Field-level checks shared by the entity validators.
enum FieldValidation {
    static func nonEmpty(_ value: String, _ field: String, maxLength: Int = 200) throws(ConfigError) {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalid(field, "must not be empty") }
        guard value.count <= maxLength else { throw .invalid(field, "must be at most \(maxLength) characters") }
    }

    static func range(_ value: Int, _ field: String, _ allowed: ClosedRange<Int>) throws(ConfigError) {
        guard allowed.contains(value) else {
            throw .invalid(field, "must be between \(allowed.lowerBound) and \(allowed.upperBound), got \(value)")
        }
    }

    static func httpURL(_ value: String, _ field: String) throws(ConfigError) {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else { throw .invalid(field, "must be an http:// or https:// URL with a host, got '\(value)'") }
        guard url.query == nil, url.fragment == nil else { throw .invalid(field, "must not carry a query or fragment") }
    }

    static func absolutePath(_ value: String, _ field: String) throws(ConfigError) {
        guard value.hasPrefix("/"), !value.contains(" "), value.count <= 2048 else {
            throw .invalid(field, "must be an absolute path starting with '/'")
        }
    }

    static func tokens(_ values: [String], _ field: String) throws(ConfigError) {
        for value in values {
            guard !value.isEmpty, value.count <= 128, !value.contains(where: { $0.isWhitespace }) else {
                throw .invalid(field, "entries must be non-empty and without spaces, got '\(value)'")
            }
        }
        guard Set(values).count == values.count else { throw .invalid(field, "must not repeat entries") }
    }

    static func semanticVersion(_ value: String, _ field: String) throws(ConfigError) {
        let core = value.split(separator: "-", maxSplits: 1).first ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            throw .invalid(field, "must be a semantic version like 1.0.0, got '\(value)'")
        }
    }
}
