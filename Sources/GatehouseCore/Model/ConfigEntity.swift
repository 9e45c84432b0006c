/// What every configuration entity has: an identity and the times it was created and last changed.
public protocol ConfigEntity: Codable, Sendable, Hashable, Identifiable {
    var createdAt: Timestamp { get set }
    var updatedAt: Timestamp { get set }
}

extension ConfigEntity {
    /// Sets both times (the decider stamps entities with the command's time).
    mutating func stamp(createdAt: Timestamp, updatedAt: Timestamp) {
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension Gateway: ConfigEntity {}
extension BackendService: ConfigEntity {}
extension Route: ConfigEntity {}
extension APIKey: ConfigEntity {}
extension RateLimitPolicy: ConfigEntity {}
extension APIVersion: ConfigEntity {}
extension APIDocumentation: ConfigEntity {}
