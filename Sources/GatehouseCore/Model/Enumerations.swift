/// How a gateway spreads requests over a service's healthy instances.
public enum LoadBalancingStrategy: String, Codable, Sendable, CaseIterable {
    case roundRobin = "round_robin"
    case weighted
    case leastConnections = "least_connections"
    case geoBased = "geo_based"
}

/// The methods a route can match. `ANY` matches every method.
public enum RouteMethod: String, Codable, Sendable, CaseIterable, Comparable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    case head = "HEAD", options = "OPTIONS", any = "ANY"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Who owns an API key.
public enum OwnerType: String, Codable, Sendable, CaseIterable {
    case user, service, vendor
}

/// The four rate-limit tiers of the spec.
public enum RateLimitTier: String, Codable, Sendable, CaseIterable, Comparable {
    case basic, standard, premium, enterprise

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How windows of a rate-limit policy reset.
public enum QuotaResetStrategy: String, Codable, Sendable, CaseIterable {
    case fixedWindow = "fixed_window"
    case rollingWindow = "rolling_window"
}

/// Whether a limit blocks or only records what it would have blocked.
public enum EnforcementMode: String, Codable, Sendable, CaseIterable {
    case enforce
    case shadow
}

/// A circuit breaker's state.
public enum CircuitState: String, Codable, Sendable, CaseIterable {
    case closed
    case open
    case halfOpen = "half_open"
}
