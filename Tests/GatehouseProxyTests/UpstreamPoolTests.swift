import GatehouseCore
import GatehouseProxy
import Testing

@Suite("Upstream pool")
struct UpstreamPoolTests {
    let gateway = GatewayID()
    let start = Timestamp(microseconds: 1_000_000_000)

    func instance(_ port: Int, priority: Int = 1) -> BackendService {
        BackendService(
            gatewayID: gateway, serviceName: "weddings", serviceURL: "http://127.0.0.1:\(port)", priority: priority,
            circuitBreakerConfig: CircuitBreakerConfig(failureThreshold: 2, timeout: 1000, halfOpenMaxCalls: 1)
        )
    }

    @Test("failing instances are ejected by their breaker, traffic fails over, and they return after a good trial")
    func ejectionAndRecovery() {
        let primary = instance(9000)
        let backup = instance(9001, priority: 2)
        var pool = UpstreamPool(instances: [primary, backup], strategy: .roundRobin)

        #expect(pool.acquire(at: start).instance?.id == primary.id)
        #expect(pool.release(primary.id, succeeded: false, at: start).isEmpty)
        _ = pool.acquire(at: start)
        let events = pool.release(primary.id, succeeded: false, at: start)
        #expect(events.map(\.kind) == [.circuitOpened, .instanceHealthChanged])
        #expect(pool.circuitState(primary.id) == .open)

        // Failover to the next priority tier while the primary is open.
        let failover = pool.acquire(at: start)
        #expect(failover.instance?.id == backup.id)
        _ = pool.release(backup.id, succeeded: true, at: start)

        // After the timeout the primary gets one trial; its success closes the breaker.
        let later = start.adding(milliseconds: 1000)
        let trial = pool.acquire(at: later)
        #expect(trial.instance?.id == primary.id)
        #expect(trial.events.map(\.kind) == [.circuitHalfOpened])
        #expect(pool.acquire(at: later).instance?.id == backup.id, "only one trial while half-open")
        #expect(pool.release(primary.id, succeeded: true, at: later).map(\.kind) == [.circuitClosed, .instanceHealthChanged])
        #expect(pool.acquire(at: later).instance?.id == primary.id)
    }

    @Test("with every instance open there is no choice, and the earliest trial time is given for Retry-After")
    func noneAvailable() {
        let only = instance(9000)
        var pool = UpstreamPool(instances: [only], strategy: .leastConnections)
        for _ in 0 ..< 2 {
            _ = pool.acquire(at: start)
            _ = pool.release(only.id, succeeded: false, at: start)
        }
        let choice = pool.acquire(at: start)
        #expect(choice.instance == nil)
        #expect(choice.retryAt == start.adding(milliseconds: 1000))
    }

    @Test("in-flight counts steer least connections and are released")
    func inFlight() {
        let first = instance(9000)
        let second = instance(9001)
        var pool = UpstreamPool(instances: [first, second], strategy: .leastConnections)
        let one = pool.acquire(at: start).instance!.id
        let two = pool.acquire(at: start).instance!.id
        #expect(one != two)
        #expect(pool.activeRequests(one) == 1)
        _ = pool.release(one, succeeded: true, at: start)
        #expect(pool.activeRequests(one) == 0)
        #expect(pool.acquire(at: start).instance?.id == one)
        #expect(pool.acquire(at: start, excluding: [one, two]).instance == nil)
    }
}
