import EventLog
import GatehouseCore
import GatehouseEngine
import GatehouseTesting
import Testing

/// Alert rules judged over buckets built from known outcomes.
@Suite("alert evaluation")
struct AlertEvaluationTests {
    let now = Timestamp(microseconds: 1_800_000_000_000_000)
    let gateway = Gateway(name: "wedsync", baseURL: "http://wedsync.example")

    /// Buckets of outcomes given as (seconds before now, status, total µs, route, key).
    func buckets(_ outcomes: [(Int64, Int, Int64, RouteID?, APIKeyID?)]) throws -> MetricsBuckets {
        let log = InMemoryEventLog()
        let records = outcomes.enumerated().map { index, outcome in
            RequestCompleted(
                requestID: "r\(index)", startTime: now.adding(seconds: -outcome.0), totalMicros: outcome.2, gatewayID: gateway.id, routeID: outcome.3,
                apiKeyID: outcome.4, method: "GET", path: "/x", status: outcome.1, decision: .proxied
            ).trafficAppend()
        }
        _ = try log.appendTraffic(records)
        return try MetricsBuckets.rebuild(from: log)
    }

    func state(routes: [Route] = [], keys: [APIKey] = [], instances: [BackendService] = []) throws -> ConfigState {
        var commands: [ConfigCommand] = [.createGateway(gateway)]
        commands += instances.map { .registerBackendService($0) }
        commands += routes.map { .defineRoute($0) }
        commands += keys.map { .issueAPIKey($0) }
        var state = ConfigState()
        let events = try ConfigDecider.decide(commands, state: state, context: CommandContext(time: now.adding(seconds: -86_400), actor: "test"))
        for (index, event) in events.enumerated() { state.evolve(event, sequence: SequenceNumber(index + 1), time: now) }
        return state
    }

    @Test("error rate and p95 fire above their thresholds, and only with enough requests")
    func rates() throws {
        let rules = [AlertRule(name: "errors", type: .errorRate, threshold: 0.2, windowMinutes: 5, minRequests: 10),
                     AlertRule(name: "slow", type: .latencyP95, threshold: 300, windowMinutes: 5, minRequests: 10)]
        var outcomes: [(Int64, Int, Int64, RouteID?, APIKeyID?)] = []
        for index in 0 ..< 20 { outcomes.append((Int64(index * 10), index % 2 == 0 ? 503 : 200, index < 15 ? 500_000 : 10_000, nil, nil)) }
        let bad = try buckets(outcomes)
        let fired = AlertEvaluation.firing(gateway: gateway, rules: rules, buckets: bad, health: [:], state: try state(), now: now)
        #expect(fired.map { $0.rule }.sorted() == ["errors", "slow"])
        #expect(fired.first { $0.rule == "errors" }?.alertID == "\(gateway.id)/errors")
        let few = try buckets((0 ..< 5).map { (Int64($0), 503, Int64(900_000), nil, nil) })
        #expect(AlertEvaluation.firing(gateway: gateway, rules: rules, buckets: few, health: [:], state: try state(), now: now).isEmpty)
        let old = try buckets((0 ..< 20).map { (Int64(600 + $0), 503, Int64(900_000), nil, nil) })  // outside the window
        #expect(AlertEvaluation.firing(gateway: gateway, rules: rules, buckets: old, health: [:], state: try state(), now: now).isEmpty)
    }

    @Test("an instance failing its checks, a key near its quota and a route's traffic spike each fire once per subject")
    func subjects() throws {
        let service = BackendService(gatewayID: gateway.id, serviceName: "weddings", serviceURL: "http://127.0.0.1:9000")
        let route = Samples.route(gateway.id, service.id)
        var key = Samples.key("ada", plaintext: "gh_alert_key_0000000001")
        key.usageQuota = UsageQuota(daily: 10, monthly: nil)
        let state = try state(routes: [route], keys: [key], instances: [service])
        // 2 requests in the hour before the window, 30 in the last 5 minutes; 9 of them with the key.
        typealias Outcome = (Int64, Int, Int64, RouteID?, APIKeyID?)
        var outcomes: [Outcome] = [(3000, 200, 1000, route.id, nil), (2000, 200, 1000, route.id, nil)]
        for index in 0 ..< 30 {
            let withKey: APIKeyID? = index < 9 ? key.id : nil
            outcomes.append((Int64(index * 5 + 1), 200, 1000, route.id, withKey))
        }
        let rules = [AlertRule(name: "down", type: .upstreamDown), AlertRule(name: "quota", type: .quotaUsage, threshold: 0.9),
                     AlertRule(name: "spike", type: .trafficSpike, windowMinutes: 5, minRequests: 10, factor: 3, baselineMinutes: 60)]
        let fired = AlertEvaluation.firing(gateway: gateway, rules: rules, buckets: try buckets(outcomes), health: [service.id: false], state: state, now: now)
        #expect(Set(fired.map { $0.alertID }) == [
            "\(gateway.id)/down/\(service.id)", "\(gateway.id)/quota/\(key.id)/daily", "\(gateway.id)/spike/\(route.id)",
        ])
    }

    @Test("a key whose rate jumps fires a spike of its own; a key calling steadily does not")
    func keySpike() throws {
        let sudden = Samples.key("ada", plaintext: "gh_alert_key_0000000002")
        let steady = Samples.key("grace", plaintext: "gh_alert_key_0000000003")
        let state = try state(keys: [sudden, steady])
        typealias Outcome = (Int64, Int, Int64, RouteID?, APIKeyID?)
        // sudden: 1 request in the hour before, 15 in the last 5 minutes; steady: 60 before, 12 now.
        var outcomes: [Outcome] = [(1_800, 200, 1000, nil, sudden.id)]
        outcomes += (0 ..< 60).map { (Int64(360 + $0 * 55), 200, 1000, nil, steady.id) }
        outcomes += (0 ..< 15).map { (Int64(1 + $0 * 19), 200, 1000, nil, sudden.id) }
        outcomes += (0 ..< 12).map { (Int64(2 + $0 * 23), 200, 1000, nil, steady.id) }
        outcomes.sort { $0.0 > $1.0 }
        let rules = [AlertRule(name: "spike", type: .trafficSpike, windowMinutes: 5, minRequests: 10, factor: 3, baselineMinutes: 60)]
        let fired = AlertEvaluation.firing(gateway: gateway, rules: rules, buckets: try buckets(outcomes), health: [:], state: state, now: now)
        #expect(fired.map(\.alertID) == ["\(gateway.id)/spike/key/\(sudden.id)"])
        #expect(fired.first?.message.contains(sudden.apiKeyPrefix) == true)
    }
}
