import Dispatch
import GatehouseCore
import NIOCore
import Synchronization

/// Measures one limiter check over many active keys — a premium-like policy (bucket + minute,
/// hour and day windows) plus a daily and monthly quota, six rules; and the bucket alone —
/// against a baseline of one locked dictionary increment per check on the same number of
/// shards, and against the floor of one random read in memory as large as the limiter's state
/// (`gatehouse bench limiter`).
public enum LimiterBenchmark {
    public struct Result: Sendable {
        /// Median nanoseconds per limiter check (over batches).
        public let checkNanos: Double
        /// The same for a check of the per-second bucket alone.
        public let oneRuleNanos: Double
        /// Median nanoseconds to write the response fields of a six-rule check into a head.
        public let fieldsNanos: Double
        /// Median extra nanoseconds the six evaluations add to encoding a request's outcome.
        public let recordNanos: Double
        /// Median nanoseconds per baseline increment.
        public let baselineNanos: Double
        /// Median nanoseconds of one read at a random place in memory the size of the limiter's
        /// state for these keys (``RandomReadFloor``): what no check of a random key can beat.
        public let floorNanos: Double
        /// The megabytes that floor reads in.
        public let stateMegabytes: Double
        public let keys: Int
        public let checks: Int
    }

    public static func run(keys: Int, checks: Int, batch: Int = 1000) -> Result {
        let limiter = RateLimiter()
        let policy = RateLimitPolicy(
            policyName: "premium", tier: .premium, requestsPerSecond: 1_000_000, requestsPerMinute: 60_000_000, requestsPerHour: 1_000_000_000,
            requestsPerDay: 1_000_000_000, burstLimit: 1_000_000
        )
        let route = Route(gatewayID: GatewayID(), routePath: "/bench", routeMethod: .get, backendServiceID: BackendServiceID())
        let rules = LimitPlanner.rules(route: route, policy: policy)
            + LimitPlanner.quotaRules(UsageQuota(daily: 1_000_000_000, monthly: 1_000_000_000))
        let callers = (0 ..< keys).map { _ in LimitCaller.key(APIKeyID()) }
        var random = SystemRandomNumberGenerator()
        // The callers in check order, read sequentially: a request brings its caller along, so
        // neither side should pay a cache miss just to find out who is calling.
        let order = (0 ..< checks).map { _ in callers[Int.random(in: 0 ..< keys, using: &random)] }
        let start = Timestamp.now().microseconds
        let plan = LimitPlan(rules: rules), bucketOnly = LimitPlan(rules: Array(rules.prefix(1)))
        for caller in callers { _ = limiter.check(plan, fingerprint: CallerFingerprint(caller), now: start) }

        let baseline = BaselineCounters(shards: 64)
        let checkNanos = medianPerOperation(order, batch: batch) { caller, step in
            _ = limiter.check(plan, fingerprint: CallerFingerprint(caller), now: start + Int64(step))
        }
        let oneRuleNanos = medianPerOperation(order, batch: batch) { caller, step in
            _ = limiter.check(bucketOnly, fingerprint: CallerFingerprint(caller), now: start + Int64(step))
        }
        let baselineNanos = medianPerOperation(order, batch: batch) { caller, _ in baseline.increment(caller) }

        // What a limited request does with the result: its response fields and its outcome.
        let sample = limiter.check(plan, fingerprint: CallerFingerprint(callers[0]), now: start)
        let sharedSample = OutOfLine(sample)  // as an exchange holds it
        var written = 0
        var head = ByteBuffer()
        head.reserveCapacity(1024)
        let fieldsNanos = medianPerOperation(order, batch: batch) { _, _ in
            head.clear()
            RateLimitFields(sharedSample, plan: plan)?.write(into: &head)
            written &+= head.readableBytes
        }
        func outcome(rules: [RuleEvaluation]) -> RequestCompleted {
            RequestCompleted(
                requestID: "0190a5b0-7e1c-7d3a-9f00-000000000000", startTime: Timestamp(microseconds: start), totalMicros: 900, gatewayID: route.gatewayID,
                routeID: route.id, apiKeyID: APIKeyID(), method: "GET", path: "/bench", status: 200, decision: .proxied, rules: rules
            )
        }
        let plain = outcome(rules: [])
        let plainNanos = medianPerOperation(order, batch: batch) { _, _ in written &+= plain.trafficAppend().record.count }
        let recorded = outcome(rules: sample.recorded)
        let recordedNanos = medianPerOperation(order, batch: batch) { _, _ in written &+= recorded.trafficAppend().record.count }
        precondition(written > 0)
        // One page per caller (six rules fit) and its index entries.
        let stateBytes = keys * (MemoryLayout<CallerPage>.stride + 4 * MemoryLayout<UInt64>.stride)
        let floorNanos = RandomReadFloor.measure(bytes: stateBytes, reads: checks, batch: batch)
        return Result(
            checkNanos: checkNanos, oneRuleNanos: oneRuleNanos, fieldsNanos: fieldsNanos, recordNanos: recordedNanos - plainNanos,
            baselineNanos: baselineNanos, floorNanos: floorNanos, stateMegabytes: Double(stateBytes) / 1_048_576, keys: keys, checks: checks
        )
    }

    private static func medianPerOperation(_ order: [LimitCaller], batch: Int, _ operation: (LimitCaller, Int) -> Void) -> Double {
        var perOperation: [Double] = []
        var step = 0
        for chunk in stride(from: 0, to: order.count, by: batch) {
            let slice = order[chunk ..< min(chunk + batch, order.count)]
            let began = DispatchTime.now().uptimeNanoseconds
            for caller in slice {
                operation(caller, step)
                step += 1
            }
            perOperation.append(Double(DispatchTime.now().uptimeNanoseconds - began) / Double(slice.count))
        }
        perOperation.sort()
        return perOperation.isEmpty ? 0 : perOperation[perOperation.count / 2]
    }

    /// The baseline: a counter per caller behind the same sharded locks.
    private final class BaselineCounters: Sendable {
        private final class Shard: Sendable {
            let counts = Mutex<[LimitCaller: Int]>([:])
        }

        private let shards: [Shard]

        init(shards count: Int) { shards = (0 ..< count).map { _ in Shard() } }

        func increment(_ caller: LimitCaller) {
            var hasher = Hasher()
            hasher.combine(caller)
            shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))].counts.withLock { $0[caller, default: 0] += 1 }
        }
    }
}
