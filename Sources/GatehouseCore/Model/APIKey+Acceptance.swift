extension APIKey {
    /// Whether a presented key whose hash is `hash` authenticates as this key at `now`: the key
    /// is active, not revoked, not expired, and `hash` is its current hash — or its previous
    /// one, during a rotation's grace period.
    public func accepts(hash: String, at now: Timestamp) -> Bool {
        guard isActive, revokedAt == nil else { return false }
        if let expiresAt, expiresAt <= now { return false }
        if hash == apiKeyHash { return true }
        if let previousKeyHash, let until = previousKeyValidUntil, hash == previousKeyHash, now < until { return true }
        return false
    }
}
