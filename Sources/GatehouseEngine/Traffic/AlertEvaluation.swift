import Foundation
import GatehouseCore

/// Which of a gateway's alert rules fire now — a pure judgement over the metrics buckets, the
/// instances' last health checks and the configuration. Each firing alert has a stable id
/// (`<gateway id>/<rule>` plus the instance, key or route it is about), so an incident that
/// lasts is one alert, raised once.
public enum AlertEvaluation {
    public static func firing(
        gateway: Gateway, rules: [AlertRule], buckets: MetricsBuckets, health: [BackendServiceID: Bool], state: ConfigState, now: Timestamp
    ) -> [AlertNotice] {
        var notices: [AlertNotice] = []
        for rule in rules {
            let window = (from: now.adding(seconds: -Int64(rule.windowMinutes) * 60), to: now)
            let id = "\(gateway.id)/\(rule.name)"
            func notice(_ subject: String?, _ message: String) {
                notices.append(AlertNotice(alertID: subject.map { "\(id)/\($0)" } ?? id, rule: rule.name, severity: rule.severity.rawValue, message: message))
            }
            switch rule.type {
            case .errorRate:
                let tally = buckets.tally(.gateway(gateway.id), from: window.from, to: window.to)
                let rate = tally.requests == 0 ? 0 : Double(tally.serverErrors) / Double(tally.requests)
                if tally.requests >= UInt64(rule.minRequests), tally.requests > 0, rate > rule.threshold {
                    notice(nil, "\(gateway.name): 5xx rate \(percent(rate)) over the last \(rule.windowMinutes) min (\(tally.serverErrors) of \(tally.requests); threshold \(percent(rule.threshold)))")
                }
            case .latencyP95:
                let tally = buckets.tally(.gateway(gateway.id), from: window.from, to: window.to)
                let p95 = tally.percentileMilliseconds(0.95)
                if tally.requests >= UInt64(rule.minRequests), tally.requests > 0, p95 > rule.threshold {
                    notice(nil, "\(gateway.name): p95 \(Int(p95)) ms over the last \(rule.windowMinutes) min (threshold \(Int(rule.threshold)) ms)")
                }
            case .upstreamDown:
                for instance in state.backendServices(in: gateway.id) where health[instance.id] == false {
                    notice(instance.id.description, "\(gateway.name): \(instance.serviceName) instance \(instance.serviceURL) fails its health checks")
                }
            case .quotaUsage:
                for key in state.apiKeys.values where key.isActive {
                    let quotas = [("daily", key.usageQuota.daily, now.startOfDay), ("monthly", key.usageQuota.monthly, now.startOfMonth)]
                    for case let (period, limit?, start) in quotas where limit > 0 {
                        let used = buckets.tally(.key(key.id), from: start, to: now).requests
                        if Double(used) >= rule.threshold * Double(limit) {
                            notice("\(key.id)/\(period)", "key \(key.apiKeyPrefix) (\(key.keyName)) has used \(used) of its \(period) quota of \(limit)")
                            break
                        }
                    }
                }
            case .trafficSpike, .errorSpike:
                let baselineStart = window.from.adding(seconds: -Int64(rule.baselineMinutes) * 60)
                let what = rule.type == .trafficSpike ? "requests" : "5xx responses"
                // Whether `current` is a spike over `before`; the rate the baseline predicts.
                func spike(_ current: MetricTally, _ before: MetricTally) -> (count: UInt64, expected: Double)? {
                    let count = { (tally: MetricTally) in rule.type == .trafficSpike ? tally.requests : tally.serverErrors }
                    guard current.requests >= UInt64(rule.minRequests) else { return nil }
                    let expected = Double(count(before)) * Double(rule.windowMinutes) / Double(rule.baselineMinutes)
                    return Double(count(current)) > rule.factor * max(expected, 1) ? (count(current), expected) : nil
                }
                func detail(_ spike: (count: UInt64, expected: Double)) -> String {
                    "had \(spike.count) \(what) in \(rule.windowMinutes) min, \(String(format: "%.1f", spike.expected)) expected from the \(rule.baselineMinutes) min before"
                }
                for route in state.routes(in: gateway.id) {
                    let current = buckets.tally(.route(route.id), from: window.from, to: window.to)
                    if let found = spike(current, buckets.tally(.route(route.id), from: baselineStart, to: window.from)) {
                        notice(route.id.description, "\(gateway.name): \(route.routeMethod.rawValue) \(route.routePath) \(detail(found))")
                    }
                }
                // Per key: the keys that called in the window (kept by the minute for a few hours).
                let recent = buckets.recentTallies(from: window.from, to: window.to)
                let baseline = buckets.recentTallies(from: baselineStart, to: window.from)
                for case let (.recentKey(id), current) in recent {
                    guard let key = state.apiKeys[id], key.isActive else { continue }
                    if let found = spike(current, baseline[.recentKey(id)] ?? MetricTally()) {
                        notice("key/\(id)", "\(gateway.name): key \(key.apiKeyPrefix) (\(key.keyName)) \(detail(found))")
                    }
                }
            }
        }
        return notices
    }

    private static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
