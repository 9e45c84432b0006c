import GatehouseCore

/// Who a limit counts: an API key, or — for anonymous callers — a client address. Hashes its
/// raw bytes, so a check formats no strings.
enum LimitCaller: Sendable, Hashable, CustomStringConvertible {
    case key(APIKeyID)
    case address(ClientIP?)

    /// The key when there is one, else the client address.
    init(key: APIKey?, clientIP: ClientIP?) {
        self = key.map { .key($0.id) } ?? .address(clientIP)
    }

    var description: String {
        switch self {
        case .key(let id): "key:\(id)"
        case .address(let ip): "ip:\(ip?.description ?? "unknown")"
        }
    }
}
