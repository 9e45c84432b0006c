/// Who may call, by client address (`ip_restriction`): on a gateway, and on a route as a
/// `middleware_config` step `{"name": "ip_restriction", "config": {"allow": […], "deny": […]}}`.
/// Entries are IPv4/IPv6 addresses or CIDR blocks. A `deny` match refuses; a non-empty `allow`
/// refuses everything it does not match.
public struct IPRestriction: Codable, Sendable, Hashable {
    public var allow: [String]
    public var deny: [String]

    public init(allow: [String] = [], deny: [String] = []) {
        self.allow = allow
        self.deny = deny
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allow = try container.decode(.allow, default: [])
        deny = try container.decode(.deny, default: [])
    }

    enum CodingKeys: String, CodingKey { case allow, deny }

    /// No rule at all.
    public var isEmpty: Bool { allow.isEmpty && deny.isEmpty }

    /// The rules parsed; throws the first entry that is not an address or block.
    public func compiled() throws(InvalidEntry) -> CompiledIPRestriction {
        CompiledIPRestriction(allow: try Self.parse(allow), deny: try Self.parse(deny))
    }

    private static func parse(_ entries: [String]) throws(InvalidEntry) -> [CIDRBlock] {
        var blocks: [CIDRBlock] = []
        for entry in entries {
            guard let block = CIDRBlock(entry) else { throw InvalidEntry(entry: entry) }
            blocks.append(block)
        }
        return blocks
    }

    /// An entry that is neither an address nor a CIDR block.
    public struct InvalidEntry: Error, Equatable {
        public let entry: String

        public init(entry: String) { self.entry = entry }
    }
}

/// ``IPRestriction`` ready for per-request checks.
public struct CompiledIPRestriction: Sendable, Hashable {
    public var allow: [CIDRBlock]
    public var deny: [CIDRBlock]

    /// Whether `ip` may call (an unknown address passes only when nothing is allow-listed).
    public func permits(_ ip: ClientIP?) -> Bool {
        guard let ip else { return allow.isEmpty }
        if deny.contains(where: { $0.contains(ip) }) { return false }
        return allow.isEmpty || allow.contains { $0.contains(ip) }
    }
}
