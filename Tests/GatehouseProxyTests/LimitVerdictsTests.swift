import Testing
@testable import GatehouseProxy

@Suite("rate limiting: a check's verdicts")
struct LimitVerdictsTests {
    static func verdict(_ remaining: Int) -> LimitVerdict {
        LimitVerdict(allowed: remaining > 0, counted: 10 - remaining, remaining: remaining, retryAfterMicros: 0, resetMicros: Int64(remaining), windowSeconds: 60)
    }

    @Test("verdicts past the six held in place keep their order, and copies are independent")
    func order() {
        var verdicts = LimitVerdicts()
        #expect(verdicts.isEmpty)
        for remaining in 0 ..< 9 { verdicts.append(Self.verdict(remaining)) }
        #expect(verdicts.count == 9)
        #expect(verdicts.map(\.remaining) == Array(0 ..< 9))
        var copy = verdicts
        copy.append(Self.verdict(9))
        #expect(verdicts.count == 9 && copy.count == 10)
        #expect(copy.prefix(9).elementsEqual(verdicts))
        #expect(copy != verdicts)
    }
}
