import GatehouseCore
import GatehouseProxy
import Testing

@Suite("Circuit breaker state machine")
struct CircuitBreakerStateMachineTests {
    let start = Timestamp(microseconds: 1_000_000_000)
    let config = CircuitBreakerConfig(failureThreshold: 3, timeout: 5000, halfOpenMaxCalls: 2)

    @Test("opens after the threshold of consecutive failures; a success resets the count")
    func opens() {
        var breaker = CircuitBreakerStateMachine(configuration: config)
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordSuccess(at: start) == nil)
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordFailure(at: start) == .opened(failures: 3, nextAttemptAt: start.adding(milliseconds: 5000)))
        #expect(breaker.circuitState == .open)
        #expect(breaker.admit(at: start.adding(milliseconds: 4999)).0 == .rejected(retryAt: start.adding(milliseconds: 5000)))
    }

    @Test("after the timeout it half-opens, admits the trial calls, and closes when they all succeed")
    func recovers() {
        var breaker = CircuitBreakerStateMachine(configuration: config)
        for _ in 0 ..< 3 { _ = breaker.recordFailure(at: start) }
        let later = start.adding(milliseconds: 5000)
        let first = breaker.admit(at: later)
        #expect(first.0 == .allowed && first.1 == .halfOpened)
        #expect(breaker.admit(at: later) == (.allowed, nil))
        #expect(breaker.admit(at: later).0 != .allowed, "no more than half_open_max_calls trials")
        #expect(breaker.recordSuccess(at: later) == nil)
        #expect(breaker.recordSuccess(at: later) == .closed(successes: 2))
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.admit(at: later) == (.allowed, nil))
    }

    @Test("a failed trial opens it again for another timeout")
    func reopens() {
        var breaker = CircuitBreakerStateMachine(configuration: config)
        for _ in 0 ..< 3 { _ = breaker.recordFailure(at: start) }
        let later = start.adding(milliseconds: 6000)
        _ = breaker.admit(at: later)
        #expect(breaker.recordFailure(at: later) == .opened(failures: 3, nextAttemptAt: later.adding(milliseconds: 5000)))
        #expect(breaker.admit(at: later.adding(milliseconds: 1)).0 == .rejected(retryAt: later.adding(milliseconds: 5000)))
    }

    @Test("late results of calls admitted before it opened change nothing")
    func lateResults() {
        var breaker = CircuitBreakerStateMachine(configuration: config)
        for _ in 0 ..< 3 { _ = breaker.recordFailure(at: start) }
        #expect(breaker.recordSuccess(at: start) == nil)
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.circuitState == .open)
    }
}
