import GatehouseCore
import Testing
@testable import GatehouseProxy

@Suite("rate limiting: the limiter table")
struct LimiterTableTests {
    static func window(_ id: String, limit: Int) -> LimitRule {
        LimitRule(id: "table-test:\(id)", policyName: "p", windowName: id, kind: .window(seconds: 60, limit: limit, rolling: false), enforced: true, blockSeconds: 0)
    }

    static func fingerprint(_ index: Int) -> CallerFingerprint {
        CallerFingerprint(.address(ClientIP(bytes: [10, UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)])))
    }

    @Test("thousands of callers keep separate counts while the index grows")
    func growth() {
        let table = LimiterTable()
        let rules = [Self.window("minute", limit: 3)]
        for round in 1 ... 3 {
            for caller in 0 ..< 5_000 {
                let result = table.decide(rules, caller: Self.fingerprint(caller), now: 1_000)
                #expect(result.refusal == nil && result[0].counted == round)
            }
        }
        #expect(table.callers == 5_000)
        #expect(table.decide(rules, caller: Self.fingerprint(4_999), now: 1_000).refusal != nil)
    }

    @Test("a caller checked against more rules than a page holds keeps every rule's count")
    func overflowPages() {
        let table = LimiterTable()
        let rules = (0 ..< 14).map { Self.window("w\($0)", limit: 100 + $0) }
        let caller = Self.fingerprint(7)
        for _ in 0 ..< 4 { _ = table.decide(rules, caller: caller, now: 5) }
        // Half of the rules again, in another order: still the same states.
        let result = table.decide(rules.reversed().filter { $0.quota % 2 == 0 }, caller: caller, now: 6)
        #expect(result.allSatisfy { $0.counted == 5 } && result.count == 7)
        #expect(table.callers == 1)
    }

    @Test("eviction drops idle callers (all their pages) and keeps the active ones' counts")
    func eviction() {
        let table = LimiterTable()
        let rules = (0 ..< 8).map { Self.window("e\($0)", limit: 10) }
        for caller in 0 ..< 100 { _ = table.decide(rules, caller: Self.fingerprint(caller), now: caller < 50 ? 1_000 : 9_000) }
        table.evict(idleBefore: 5_000)
        #expect(table.callers == 50)
        #expect(table.decide(rules, caller: Self.fingerprint(75), now: 9_500).allSatisfy { $0.counted == 2 })
        #expect(table.decide(rules, caller: Self.fingerprint(25), now: 9_500).allSatisfy { $0.counted == 1 })
    }

    @Test("a rule id that comes back with another kind of limit starts a fresh counter of that kind")
    func kindChange() {
        let table = LimiterTable()
        let caller = Self.fingerprint(9)
        let bucket = LimitRule(id: "table-test:reused", policyName: "p", windowName: "second", kind: .bucket(rate: 1, burst: 2), enforced: true, blockSeconds: 0)
        #expect(table.decide([bucket], caller: caller, now: 0).refusal == nil)
        #expect(table.decide([bucket], caller: caller, now: 0).refusal == nil)
        #expect(table.decide([bucket], caller: caller, now: 0).refusal != nil)
        let window = LimitRule(id: "table-test:reused", policyName: "p", windowName: "minute", kind: .window(seconds: 60, limit: 5, rolling: false),
                               enforced: true, blockSeconds: 0)
        let first = table.decide([window], caller: caller, now: 0)
        #expect(first.refusal == nil && first[0].counted == 1)
    }

    @Test("a subject and an address that print alike are different callers; a key is its UUID")
    func fingerprints() {
        let key = APIKeyID()
        #expect(CallerFingerprint(.key(key)) == CallerFingerprint(.key(APIKeyID(key.uuid))))
        #expect(CallerFingerprint(.key(key)) != CallerFingerprint(.key(APIKeyID())))
        #expect(CallerFingerprint(.subject("10.0.0.1")) != CallerFingerprint(.address(ClientIP(bytes: [10, 0, 0, 1]))))
        #expect(CallerFingerprint(.subject("ada")) == CallerFingerprint(.subject("ada")))
        #expect(CallerFingerprint(.address(nil)) != CallerFingerprint(.subject("")))
    }
}

extension LimiterTable {
    /// The table's verdicts for `rules` as a limit result, as ``RateLimiter`` makes them.
    fileprivate func decide(_ rules: [LimitRule], caller: CallerFingerprint, now: Int64) -> LimitResult {
        LimitResult(rules: rules, verdicts: decide(rules.map(\.spec), caller: caller, now: now))
    }
}
