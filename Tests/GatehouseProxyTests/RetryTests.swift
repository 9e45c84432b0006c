import GatehouseCore
import GatehouseProxy
import Testing

@Suite("Retries")
struct RetryTests {
    @Test("connect failures always retry; 502/503/504 and resets only for idempotent methods; timeouts never")
    func policy() {
        let policy = RetryPolicy(maxRetries: 2)
        #expect(policy.shouldRetry(after: .connectFailed, method: "POST", retriesSoFar: 0))
        #expect(policy.shouldRetry(after: .status(503), method: "GET", retriesSoFar: 1))
        #expect(!policy.shouldRetry(after: .status(503), method: "POST", retriesSoFar: 0))
        #expect(!policy.shouldRetry(after: .status(500), method: "GET", retriesSoFar: 0))
        #expect(policy.shouldRetry(after: .connectionReset, method: "PUT", retriesSoFar: 0))
        #expect(!policy.shouldRetry(after: .connectionReset, method: "PATCH", retriesSoFar: 0))
        #expect(!policy.shouldRetry(after: .timedOut, method: "GET", retriesSoFar: 0))
        #expect(!policy.shouldRetry(after: .connectFailed, method: "GET", retriesSoFar: 2), "retry_attempts is the cap")
    }

    @Test("backoff is jittered below an exponential ceiling")
    func backoff() {
        let policy = RetryPolicy(maxRetries: 5, baseBackoffMilliseconds: 10, maxBackoffMilliseconds: 50)
        var random = SplitMix64(seed: 3)
        for retry in 1 ... 6 {
            let ceiling = min(50, 10 << (retry - 1))
            let waits = (0 ..< 200).map { _ in policy.backoffMilliseconds(beforeRetry: retry, using: &random) }
            #expect(waits.allSatisfy { (0 ... ceiling).contains($0) })
            #expect(Set(waits).count > 1, "jittered")
        }
    }

    @Test("the budget allows retries up to a share of requests, with a floor, per window")
    func budget() {
        var budget = RetryBudget(ratio: 0.2, minimum: 2, windowSeconds: 10)
        let now = Timestamp(microseconds: 1_000_000_000)
        for _ in 0 ..< 50 { budget.recordRequest(at: now) }
        let granted = (0 ..< 20).filter { _ in budget.tryRetry(at: now) }.count
        #expect(granted == 10)
        let nextWindow = now.adding(seconds: 10)
        let first = budget.tryRetry(at: nextWindow)
        let second = budget.tryRetry(at: nextWindow)
        let third = budget.tryRetry(at: nextWindow)
        #expect(first && second)
        #expect(!third, "the floor applies when there is little traffic")
    }
}
