import Dispatch
import GatehouseCache
import GatehouseCore
import NIOCore
import Synchronization
import Testing
@testable import GatehouseProxy

@Suite("rate limiting: algorithms")
struct RateLimitAlgorithmTests {
    static let second: Int64 = 1_000_000

    @Test("GCRA: a full burst at once, then one request per interval")
    func gcra() {
        var bucket = GCRA()
        let allowed = (0 ..< 25).filter { _ in bucket.check(now: 0, rate: 10, burst: 20).allowed }
        #expect(allowed.count == 20)
        let refused = bucket.check(now: 0, rate: 10, burst: 20)
        #expect(!refused.allowed && refused.retryAfterMicros == Self.second / 10)
        #expect(bucket.check(now: Self.second / 10, rate: 10, burst: 20).allowed)
        #expect(!bucket.check(now: Self.second / 10, rate: 10, burst: 20).allowed)
        // After two idle seconds the bucket is full again, and no fuller.
        #expect((0 ..< 25).filter { _ in bucket.check(now: 3 * Self.second, rate: 10, burst: 20).allowed }.count == 20)
        var fresh = GCRA()
        #expect(fresh.check(now: 5, rate: 10, burst: 20).remaining == 19)
    }

    @Test("fixed windows reset at the boundary")
    func fixedWindow() {
        var counter = WindowCounter()
        let minute = 60 * Self.second
        #expect((0 ..< 5).allSatisfy { _ in counter.check(now: minute - 10, seconds: 60, limit: 5, rolling: false).allowed })
        let refused = counter.check(now: minute - 10, seconds: 60, limit: 5, rolling: false)
        #expect(!refused.allowed && refused.retryAfterMicros == 10)
        #expect(counter.check(now: minute, seconds: 60, limit: 5, rolling: false).allowed)
    }

    @Test("rolling windows weigh the previous window in, so the edge cannot double the limit")
    func rollingWindow() {
        var counter = WindowCounter()
        let minute = 60 * Self.second
        #expect((0 ..< 10).allSatisfy { _ in counter.check(now: minute - 1, seconds: 60, limit: 10, rolling: true).allowed })
        // Just past the boundary nearly all of the last window still counts.
        #expect(!counter.check(now: minute + 1, seconds: 60, limit: 10, rolling: true).allowed)
        // Halfway through, half of it does: five more fit.
        let halfway = minute + minute / 2
        #expect((0 ..< 8).filter { _ in counter.check(now: halfway, seconds: 60, limit: 10, rolling: true).allowed }.count == 5)
        // Two windows later nothing is carried.
        #expect((0 ..< 12).filter { _ in counter.check(now: 3 * minute, seconds: 60, limit: 10, rolling: true).allowed }.count == 10)
    }
}

@Suite("rate limiting: limiter and plan")
struct RateLimiterTests {
    static let ada = LimitCaller.address(ClientIP(bytes: [10, 0, 0, 1]))
    static let bea = LimitCaller.address(ClientIP(bytes: [10, 0, 0, 2]))

    static func rule(_ id: String, _ kind: LimitRule.Kind, enforced: Bool = true, block: Int = 0) -> LimitRule {
        LimitRule(id: id, policyName: "p", windowName: id, kind: kind, enforced: enforced, blockSeconds: block)
    }

    /// The response fields of `result` as name–value strings (none without an enforced rule).
    static func fields(_ result: LimitResult) -> [(String, String)] {
        RateLimitFields(OutOfLine(result), plan: LimitPlan(rules: result.rules)).map(pairs) ?? []
    }

    /// `fields` as ``RateLimitFields/forEach(_:)`` gives them.
    static func pairs(_ fields: RateLimitFields) -> [(String, String)] {
        var pairs: [(String, String)] = []
        fields.forEach { pairs.append(($0, $1)) }
        return pairs
    }

    @Test("all rules together: a refused request uses no quota of the others")
    func together() {
        let limiter = RateLimiter()
        let rules = [Self.rule("second", .bucket(rate: 1, burst: 3)), Self.rule("minute", .window(seconds: 60, limit: 5, rolling: false))]
        let first = (0 ..< 5).map { _ in limiter.check(rules, caller: Self.ada, now: 0) }
        #expect(first.map { $0.refusal == nil } == [true, true, true, false, false])
        #expect(first[3].refusal?.rule.id == "second")
        // Two seconds later the bucket has two tokens; the minute window counted only three.
        let later = (0 ..< 3).map { _ in limiter.check(rules, caller: Self.ada, now: 2_000_000) }
        #expect(later.map { $0.refusal == nil } == [true, true, false])
        #expect(later[2].refusal?.rule.id == "minute" || later[2].refusal?.rule.id == "second")
        #expect(limiter.check(rules, caller: Self.bea, now: 2_000_000).refusal == nil)
    }

    @Test("a violation with a block duration refuses the caller until it ends")
    func blocking() {
        let limiter = RateLimiter()
        let rules = [Self.rule("minute", .window(seconds: 60, limit: 2, rolling: false), block: 300)]
        _ = limiter.check(rules, caller: Self.ada, now: 0)
        _ = limiter.check(rules, caller: Self.ada, now: 0)
        #expect(limiter.check(rules, caller: Self.ada, now: 1).refusal != nil)
        let blocked = limiter.check(rules, caller: Self.ada, now: 120_000_000)
        #expect(blocked.refusal?.retryAfterMicros == Int64(180_000_001))
        #expect(limiter.check(rules, caller: Self.ada, now: 300_000_002).refusal == nil)
    }

    @Test("shadow rules observe without refusing")
    func shadow() {
        let limiter = RateLimiter()
        let rules = [Self.rule("minute", .window(seconds: 60, limit: 1, rolling: false), enforced: false)]
        #expect(limiter.check(rules, caller: Self.ada, now: 0).shadowViolation == nil)
        let second = limiter.check(rules, caller: Self.ada, now: 0)
        #expect(second.refusal == nil && second.shadowViolation != nil)
        #expect(Self.fields(second).isEmpty)
    }

    @Test("response fields: one item per enforced rule in order, the tightest rule in X-RateLimit-*, Retry-After on refusal")
    func responseFields() {
        let limiter = RateLimiter()
        let rules = [
            Self.rule("second", .bucket(rate: 1, burst: 3)), Self.rule("hour", .window(seconds: 3600, limit: 100, rolling: false), enforced: false),
            Self.rule("minute", .window(seconds: 60, limit: 2, rolling: false)),
        ]
        let admitted = limiter.check(rules, caller: Self.ada, now: 30_000_000)
        let fields = Dictionary(uniqueKeysWithValues: Self.fields(admitted))
        #expect(fields["RateLimit-Policy"] == #""p-second";q=3;w=1, "p-minute";q=2;w=60"#)
        #expect(fields["RateLimit"] == #""p-second";r=2;t=1, "p-minute";r=1;t=30"#)
        #expect(fields["X-RateLimit-Limit"] == "2" && fields["X-RateLimit-Remaining"] == "1" && fields["X-RateLimit-Reset"] == "30")
        #expect(fields["Retry-After"] == nil)
        _ = limiter.check(rules, caller: Self.ada, now: 30_000_000)
        let refused = Dictionary(uniqueKeysWithValues: Self.fields(limiter.check(rules, caller: Self.ada, now: 30_000_000)))
        #expect(refused["Retry-After"] == "30" && refused["X-RateLimit-Remaining"] == "0")
        let lone = Self.fields(limiter.check([rules[0]], caller: Self.bea, now: 0))
        #expect(lone.first { $0.0 == "RateLimit-Policy" }?.1 == #""p-second";q=3;w=1"#)
        #expect(Self.fields(admitted).allSatisfy { $0.0 == "Retry-After" || RateLimitHeaders.isLimitField($0.0.lowercased()) })
        #expect(!RateLimitHeaders.isLimitField("Retry-After") && !RateLimitHeaders.isLimitField("X-RateLimit-Other"))
    }

    @Test("written into a head's bytes: the plan's fixed parts, this request's numbers, this month's length; the strings are those lines")
    func fieldsAsBytes() throws {
        let limiter = RateLimiter()
        let rules = [
            Self.rule("second", .bucket(rate: 1, burst: 2)), Self.rule("hour", .window(seconds: 3600, limit: 100, rolling: false), enforced: false),
            Self.rule("minute", .window(seconds: 60, limit: 3, rolling: false)), Self.rule("month", .quota(period: .month, limit: 9_000_000_000)),
        ]
        let plan = LimitPlan(rules: rules)
        // 1970-01-01T00:00:59Z: January has 31 days, 2,678,341 s of it left.
        let written = try (0 ..< 3).map { _ in
            let result = limiter.check(plan.rules, caller: Self.ada, now: 59_000_000)
            let fields = try #require(RateLimitFields(OutOfLine(result), plan: plan))
            var buffer = ByteBuffer(string: "before\r\n")
            fields.write(into: &buffer)
            #expect(Self.pairs(fields).map { "\($0.0): \($0.1)\r\n" }.joined() == String(buffer: buffer).dropFirst("before\r\n".count))
            #expect(Self.pairs(fields).count == fields.count)
            return String(buffer: buffer)
        }
        #expect(written[0] == """
            before\r
            RateLimit-Policy: "p-second";q=2;w=1, "p-minute";q=3;w=60, "p-month";q=9000000000;w=2678400\r
            RateLimit: "p-second";r=1;t=1, "p-minute";r=2;t=1, "p-month";r=8999999999;t=2678341\r
            X-RateLimit-Limit: 2\r
            X-RateLimit-Remaining: 1\r
            X-RateLimit-Reset: 1\r

            """)
        // The third is refused by the bucket; both rules are out, the bucket resets last.
        #expect(written[2].hasSuffix("X-RateLimit-Remaining: 0\r\nX-RateLimit-Reset: 2\r\nRetry-After: 1\r\n"))
        let shadowOnly = limiter.check([rules[1]], caller: Self.ada, now: 0)
        #expect(RateLimitFields(OutOfLine(shadowOnly), plan: LimitPlan(rules: [rules[1]])) == nil)
    }

    @Test("a plan lays out its fields' fixed parts once: one piece up to the first number when no window varies")
    func planLayout() {
        let rules = [
            Self.rule("second", .bucket(rate: 1, burst: 3)), Self.rule("hour", .window(seconds: 3600, limit: 100, rolling: false), enforced: false),
            Self.rule("minute", .window(seconds: 60, limit: 2, rolling: false)), Self.rule("day", .quota(period: .day, limit: 50)),
        ]
        let layout = LimitPlan(rules: rules).fieldLayout
        let first = layout.pieces[0].bytes
        #expect(String(decoding: layout.bytes[first], as: UTF8.self) == """
            RateLimit-Policy: "p-second";q=3;w=1, "p-minute";q=2;w=60, "p-day";q=50;w=86400\r
            RateLimit: "p-second";r=
            """)
        // Each enforced rule's remaining and reset, and the end.
        #expect(layout.pieces.count == 7)
        let monthly = LimitPlan(rules: rules + [Self.rule("month", .quota(period: .month, limit: 900))]).fieldLayout
        #expect(String(decoding: monthly.bytes[monthly.pieces[0].bytes], as: UTF8.self).hasSuffix(#""p-month";q=900;w="#))
        #expect(monthly.pieces.count == 10)
    }

    @Test("more rules than a caller's page holds are judged together, in order, across its pages")
    func rulesAcrossPages() {
        // Eight windows with limits 1…8: the n-th admits n requests.
        let rules = (1 ... 8).map { Self.rule("w\($0)", .window(seconds: 60, limit: $0, rolling: false)) }
        let limiter = RateLimiter()
        let first = limiter.check(rules, caller: Self.ada, now: 0)
        #expect(first.verdicts.count == 8 && first.count == 8)
        #expect(first.map(\.remaining) == Array(0 ..< 8))
        #expect(first.map(\.rule.id) == rules.map(\.id))
        let refused = limiter.check(rules, caller: Self.ada, now: 0)
        #expect(refused.refusal?.rule.id == "w1" && refused.verdicts.last?.remaining == 6)
        #expect(refused.verdicts != first.verdicts)
        let loosened = limiter.check(Array(rules.dropFirst()), caller: Self.ada, now: 0)
        #expect(loosened.refusal == nil && loosened.map(\.remaining) == Array(0 ..< 7))
    }

    @Test("the per-connection memo gives every caller the fingerprint it would get without it; a key, then a subject, wins over the address")
    func fingerprintMemo() {
        var memo = CallerFingerprintMemo()
        let key = LimitCaller.key(APIKeyID())
        let callers = [Self.ada, Self.ada, Self.bea, .address(nil), key, .subject("user-1"), Self.ada, .address(ClientIP(bytes: Array(repeating: 1, count: 16)))]
        for caller in callers {
            let parts: (key: APIKeyID?, subject: String?, address: ClientIP?) = switch caller {
            case .key(let id): (id, "user-2", ClientIP(bytes: [10, 0, 0, 1]))
            case .subject(let subject): (nil, subject, ClientIP(bytes: [10, 0, 0, 2]))
            case .address(let address): (nil, nil, address)
            }
            #expect(memo.fingerprint(key: parts.key, subject: parts.subject, clientIP: parts.address) == CallerFingerprint(caller), "\(caller)")
        }
        #expect(CallerFingerprint(Self.ada) != CallerFingerprint(Self.bea))
    }

    @Test("a field value written in place: strings and numbers (negative, extreme), nothing past the capacity")
    func fieldValueWriter() {
        let text = FieldValueWriter.text(capacity: 64) { writer in
            writer.append("a=")
            writer.append(0)
            writer.append(String(repeating: "b", count: 3))
            writer.append(-42)
            writer.append(";")
            writer.append(Int.min)
        }
        #expect(text == "a=0bbb-42;-9223372036854775808")
        let numbers = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 65_536, 999_999_999, 1_000_000_000, Int.max] + (0 ..< 200).map { _ in Int.random(in: .min ... .max) }
        for number in numbers {
            #expect(FieldValueWriter.text(capacity: FieldValueWriter.numberCapacity) { $0.append(number) } == String(number))
        }
        #expect(FieldValueWriter.text(capacity: 4) { $0.append("ab"); $0.append(12345); $0.append("cd") } == "abcd")
    }

    @Test("many threads hammering one caller never get more than the limit through")
    func noOvershoot() {
        let limiter = RateLimiter(shardCount: 4)
        let rules = [Self.rule("minute", .window(seconds: 60, limit: 1000, rolling: true)), Self.rule("second", .bucket(rate: 1, burst: 1500))]
        let allowed = Atomic<Int>(0)
        let shared = LimitCaller.key(APIKeyID())
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0 ..< 500 {
                if index % 5 == 0 {
                    _ = limiter.check(rules, caller: .address(ClientIP(bytes: [10, 1, UInt8(thread), UInt8(index % 256)])), now: 1_000)
                } else if limiter.check(rules, caller: shared, now: 1_000).refusal == nil {
                    allowed.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(allowed.load(ordering: .relaxed) == 1000)
    }

    @Test("the plan: tier policy windows per key, route limits per route replacing the tier's second/minute")
    func plan() {
        let route = Route(gatewayID: GatewayID(), routePath: "/rsvps", routeMethod: .post, backendServiceID: BackendServiceID())
        let policy = RateLimitPolicy(policyName: "basic", tier: .basic, requestsPerSecond: 10, requestsPerMinute: 100, requestsPerHour: 1000,
                                     requestsPerDay: 0, burstLimit: 20)
        #expect(LimitPlanner.rules(route: route, policy: policy).map(\.windowName) == ["second", "minute", "hour"])
        #expect(LimitPlanner.rules(route: route, policy: nil).isEmpty)
        var limited = route
        limited.rateLimitConfig = RouteRateLimitConfig(requestsPerSecond: 50, burstLimit: 100)
        let rules = LimitPlanner.rules(route: limited, policy: policy)
        #expect(rules.map(\.id) == ["route:\(route.id):second", "policy:\(policy.id):minute", "policy:\(policy.id):hour"])
        #expect(rules.first?.kind == .bucket(rate: 50, burst: 100))
        var inactive = policy
        inactive.isActive = false
        #expect(LimitPlanner.rules(route: limited, policy: inactive).count == 1)
        #expect(LimitCaller(key: nil, clientIP: ClientIP(bytes: [10, 0, 0, 1])).description == "ip:10.0.0.1")
    }
}

@Suite("rate limiting: quotas")
struct QuotaTests {
    static let day: Int64 = 86_400_000_000
    /// 2026-11-30T23:59:59Z, the last second of a month.
    static let endOfNovember = Timestamp(rfc3339: "2026-11-30T23:59:59Z")!.microseconds

    @Test("calendar counters renew at midnight UTC and on the first of the month")
    func calendar() {
        var daily = CalendarCounter()
        #expect((0 ..< 4).filter { _ in daily.check(now: Self.endOfNovember, period: .day, limit: 3).allowed }.count == 3)
        let refused = daily.check(now: Self.endOfNovember, period: .day, limit: 3)
        #expect(!refused.allowed && refused.resetMicros == 1_000_000 && refused.periodSeconds == 86_400)
        #expect(daily.check(now: Self.endOfNovember + 1_000_000, period: .day, limit: 3).allowed)
        var monthly = CalendarCounter()
        monthly.seed(periodStart: CalendarPeriod.month.bounds(of: Self.endOfNovember).start, count: 10)
        let november = monthly.check(now: Self.endOfNovember, period: .month, limit: 10)
        #expect(!november.allowed && november.periodSeconds == 30 * 86_400)
        let december = monthly.check(now: Self.endOfNovember + 1_000_000, period: .month, limit: 10)
        #expect(december.allowed && december.periodSeconds == 31 * 86_400)
    }

    @Test("the projection counts this month's admitted requests per key, today's separately")
    func projection() {
        let key = APIKeyID()
        var usage = QuotaUsage(asOf: Timestamp(microseconds: Self.endOfNovember))
        usage.add(key: key, decision: .proxied, at: Timestamp(microseconds: Self.endOfNovember - 10))
        usage.add(key: key, decision: .upstreamError, at: Timestamp(microseconds: Self.endOfNovember - 2 * Self.day))
        usage.add(key: key, decision: .rateLimited, at: Timestamp(microseconds: Self.endOfNovember - 10))
        usage.add(key: key, decision: .proxied, at: Timestamp(microseconds: Self.endOfNovember - 40 * Self.day))
        usage.add(key: nil, decision: .proxied, at: Timestamp(microseconds: Self.endOfNovember - 10))
        #expect(usage.byKey == [key: QuotaUsage.Counts(day: 1, month: 2)])
    }

    @Test("seeded counters continue where the projection stood")
    func seeded() {
        var key = APIKey(keyName: "k", apiKeyHash: String(repeating: "a", count: 64), apiKeyPrefix: "gh_aaaaaaaaa")
        key.usageQuota = UsageQuota(daily: 5, monthly: 100)
        var usage = QuotaUsage(asOf: Timestamp(microseconds: Self.endOfNovember))
        for _ in 0 ..< 4 { usage.add(key: key.id, decision: .proxied, at: Timestamp(microseconds: Self.endOfNovember - 5)) }
        let limiter = RateLimiter()
        limiter.seed(usage)
        let rules = LimitPlanner.quotaRules(key.usageQuota)
        let caller = LimitCaller.key(key.id)
        #expect(limiter.check(rules, caller: caller, now: Self.endOfNovember).refusal == nil)
        let refusal = limiter.check(rules, caller: caller, now: Self.endOfNovember).refusal
        #expect(refusal?.rule.windowName == "daily" && refusal?.rule.isQuota == true)
    }
}
