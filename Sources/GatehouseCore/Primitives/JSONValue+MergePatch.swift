extension JSONValue {
    /// RFC 7396 JSON Merge Patch: objects merge key by key (recursively), `null` removes a key,
    /// anything else replaces. How partial updates (`PUT` with some fields) apply.
    public func merging(_ patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result: [String: JSONValue] = if case .object(let object) = self { object } else { [:] }
        for (key, value) in changes {
            if case .null = value {
                result[key] = nil
            } else {
                result[key] = (result[key] ?? .null).merging(value)
            }
        }
        return .object(result)
    }
}
