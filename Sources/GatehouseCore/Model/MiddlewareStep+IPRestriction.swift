import Foundation

extension MiddlewareStep {
    /// The rules of an `ip_restriction` step; `nil` when the config is not shaped like one.
    public var ipRestriction: IPRestriction? {
        guard case .object(let object) = config, Set(object.keys).isSubset(of: ["allow", "deny"]),
              let data = try? JSONEncoder().encode(config) else { return nil }
        return try? JSONDecoder().decode(IPRestriction.self, from: data)
    }
}
