extension KeyedDecodingContainer {
    /// Decodes the value under `key`, or returns `defaultValue` when the key is absent or null —
    /// the spec's `JSONB DEFAULT …` columns.
    func decode<T: Decodable>(_ key: Key, default defaultValue: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? defaultValue()
    }
}
