/// A gateway's alerting: rules evaluated over the metrics projection and live health, and the
/// webhooks that hear when an alert is raised or resolved.
public struct AlertingConfig: Codable, Sendable, Hashable {
    /// `http(s)` URLs; each raise and resolve is POSTed to every one (with retries).
    public var webhooks: [String]
    public var rules: [AlertRule]

    public init(webhooks: [String] = [], rules: [AlertRule] = []) {
        self.webhooks = webhooks
        self.rules = rules
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        webhooks = try container.decode(.webhooks, default: [])
        rules = try container.decode(.rules, default: [])
    }
}

/// One alert rule. Rates and latencies are judged over the last `window_minutes` of the
/// gateway's traffic, and only with at least `min_requests` requests in it.
public struct AlertRule: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Share of 5xx responses above `threshold` (0…1).
        case errorRate = "error_rate"
        /// p95 end-to-end time above `threshold` milliseconds.
        case latencyP95 = "latency_p95"
        /// An instance failing its active health checks (one alert per instance).
        case upstreamDown = "upstream_down"
        /// A key past `threshold` (0…1) of its daily or monthly quota (one alert per key).
        case quotaUsage = "quota_usage"
        /// A route's request rate (or 5xx rate) over the window above `factor` × its rate over
        /// the `baseline_minutes` before (one alert per route).
        case trafficSpike = "traffic_spike"
        case errorSpike = "error_spike"
    }

    public enum Severity: String, Codable, Sendable, CaseIterable {
        case info, warning, critical
    }

    public var name: String
    public var type: Kind
    public var threshold: Double
    public var windowMinutes: Int
    public var minRequests: Int
    public var factor: Double
    public var baselineMinutes: Int
    public var severity: Severity

    enum CodingKeys: String, CodingKey {
        case name, type, threshold, factor, severity
        case windowMinutes = "window_minutes"
        case minRequests = "min_requests"
        case baselineMinutes = "baseline_minutes"
    }

    public init(
        name: String, type: Kind, threshold: Double = 0, windowMinutes: Int = 5, minRequests: Int = 20, factor: Double = 3,
        baselineMinutes: Int = 60, severity: Severity = .warning
    ) {
        self.name = name
        self.type = type
        self.threshold = threshold
        self.windowMinutes = windowMinutes
        self.minRequests = minRequests
        self.factor = factor
        self.baselineMinutes = baselineMinutes
        self.severity = severity
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(Kind.self, forKey: .type)
        threshold = try container.decode(.threshold, default: 0)
        windowMinutes = try container.decode(.windowMinutes, default: 5)
        minRequests = try container.decode(.minRequests, default: 20)
        factor = try container.decode(.factor, default: 3)
        baselineMinutes = try container.decode(.baselineMinutes, default: 60)
        severity = try container.decode(.severity, default: .warning)
    }
}
