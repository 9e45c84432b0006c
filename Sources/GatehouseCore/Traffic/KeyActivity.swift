/// When each API key was last used — the `last_used_at` projection over request outcomes
/// (a key is used when a request authenticated with it, whatever the answer).
public struct KeyActivity: Codable, Sendable, Hashable {
    public private(set) var lastUsed: [APIKeyID: Timestamp] = [:]

    public init() {}

    /// Folds one outcome in.
    public mutating func add(key: APIKeyID?, at time: Timestamp) {
        guard let key else { return }
        if lastUsed[key].map({ $0 < time }) ?? true { lastUsed[key] = time }
    }

    enum CodingKeys: String, CodingKey {
        case lastUsed = "last_used"
    }
}
