import GatehouseCore

/// Who a limit counts: an API key, or — for anonymous callers — a client address. Hashes its
/// raw bytes, so a check formats no strings.
enum LimitCaller: Sendable, Hashable, CustomStringConvertible {
    case key(APIKeyID)
    /// A JWT's subject.
    case subject(String)
    case address(ClientIP?)

    /// The key when there is one, else the token's subject, else the client address.
    init(key: APIKeyID?, subject: String? = nil, clientIP: ClientIP?) {
        if let key {
            self = .key(key)
        } else if let subject {
            self = .subject(subject)
        } else {
            self = .address(clientIP)
        }
    }

    var description: String {
        switch self {
        case .key(let id): "key:\(id)"
        case .subject(let subject): "sub:\(subject)"
        case .address(let ip): "ip:\(ip?.description ?? "unknown")"
        }
    }
}
