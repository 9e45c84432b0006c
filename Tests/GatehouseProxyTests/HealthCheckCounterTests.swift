import GatehouseProxy
import Testing

@Suite("Active health thresholds")
struct HealthCheckCounterTests {
    @Test("unhealthy only after the threshold of consecutive failures; a success in between resets")
    func ejection() {
        var counter = HealthCheckCounter(unhealthyThreshold: 3, healthyThreshold: 2)
        #expect(counter.record(success: false) == nil)
        #expect(counter.record(success: false) == nil)
        #expect(counter.record(success: true) == nil)
        #expect(counter.record(success: false) == nil)
        #expect(counter.record(success: false) == nil)
        #expect(counter.record(success: false) == false)
        #expect(!counter.isHealthy)
        #expect(counter.record(success: false) == nil, "no repeated transition while down")
    }

    @Test("healthy again only after the threshold of consecutive successes")
    func readmission() {
        var counter = HealthCheckCounter(unhealthyThreshold: 1, healthyThreshold: 2)
        #expect(counter.record(success: false) == false)
        #expect(counter.record(success: true) == nil)
        #expect(counter.record(success: false) == nil)
        #expect(counter.record(success: true) == nil)
        #expect(counter.record(success: true) == true)
        #expect(counter.isHealthy)
    }
}
