import GatehouseCore
import GatehouseProxy
import Testing

@Suite("Load balancer")
struct LoadBalancerTests {
    let a = BackendServiceID()
    let b = BackendServiceID()
    let c = BackendServiceID()

    func counts(_ balancer: inout LoadBalancer, _ candidates: [UpstreamCandidate], rounds: Int, client: GeoPoint? = nil) -> [BackendServiceID: Int] {
        var counts: [BackendServiceID: Int] = [:]
        for _ in 0 ..< rounds {
            if let chosen = balancer.choose(from: candidates, client: client) { counts[chosen, default: 0] += 1 }
        }
        return counts
    }

    @Test("round robin takes turns evenly and skips unavailable instances")
    func roundRobin() {
        var balancer = LoadBalancer(strategy: .roundRobin)
        let candidates = [UpstreamCandidate(id: a), UpstreamCandidate(id: b), UpstreamCandidate(id: c, isAvailable: false)]
        #expect(counts(&balancer, candidates, rounds: 100) == [a: 50, b: 50])
    }

    @Test("weighted follows the weights exactly over a cycle, spread out, and drains weight 0")
    func weighted() {
        var balancer = LoadBalancer(strategy: .weighted)
        let candidates = [UpstreamCandidate(id: a, weight: 5), UpstreamCandidate(id: b, weight: 1), UpstreamCandidate(id: c, weight: 1)]
        let sequence = (0 ..< 7).compactMap { _ in balancer.choose(from: candidates) }
        #expect(sequence == [a, a, b, a, c, a, a], "nginx's smooth order for 5:1:1")
        #expect(counts(&balancer, candidates, rounds: 700) == [a: 500, b: 100, c: 100])
        var drained = LoadBalancer(strategy: .weighted)
        #expect(counts(&drained, [UpstreamCandidate(id: a, weight: 0), UpstreamCandidate(id: b, weight: 3)], rounds: 9) == [b: 9])
    }

    @Test("least connections prefers the least loaded per unit of weight")
    func leastConnections() {
        var balancer = LoadBalancer(strategy: .leastConnections)
        let busy = [UpstreamCandidate(id: a, activeRequests: 9), UpstreamCandidate(id: b, activeRequests: 2), UpstreamCandidate(id: c, activeRequests: 4)]
        #expect(balancer.choose(from: busy) == b)
        let weighted = [UpstreamCandidate(id: a, weight: 300, activeRequests: 5), UpstreamCandidate(id: b, weight: 100, activeRequests: 2)]
        #expect(balancer.choose(from: weighted) == a, "6/300 < 3/100")
        let tied = [UpstreamCandidate(id: a, activeRequests: 1), UpstreamCandidate(id: b, activeRequests: 1)]
        #expect(counts(&balancer, tied, rounds: 10) == [a: 5, b: 5])
    }

    @Test("geo picks the nearest instance and falls back to the others")
    func geo() {
        let london = GeoPoint(latitude: 51.5, longitude: -0.12)
        let newYork = GeoPoint(latitude: 40.7, longitude: -74.0)
        let bath = GeoPoint(latitude: 51.38, longitude: -2.36)
        var balancer = LoadBalancer(strategy: .geoBased)
        let candidates = [UpstreamCandidate(id: a, location: london), UpstreamCandidate(id: b, location: newYork)]
        #expect(counts(&balancer, candidates, rounds: 10, client: bath) == [a: 10])
        #expect(counts(&balancer, [UpstreamCandidate(id: a, isAvailable: false, location: london), candidates[1]], rounds: 4, client: bath) == [b: 4])
        #expect(counts(&balancer, candidates, rounds: 10) == [a: 5, b: 5], "no client location: round robin")
        #expect(abs(london.distance(to: newYork) - 5570) < 20)
        #expect(GeoPoint(metadata: .object(["latitude": .number(51.5), "longitude": .number(-0.12)])) == london)
        #expect(GeoPoint(metadata: .object(["latitude": .number(95), "longitude": .number(0)])) == nil)
    }

    @Test("the lowest priority tier with an eligible instance wins; tried instances are excluded")
    func failover() {
        var balancer = LoadBalancer(strategy: .roundRobin)
        let candidates = [UpstreamCandidate(id: a, priority: 1), UpstreamCandidate(id: b, priority: 2), UpstreamCandidate(id: c, priority: 2)]
        #expect(counts(&balancer, candidates, rounds: 6) == [a: 6])
        #expect(balancer.choose(from: candidates, excluding: [a]) != a)
        var down = candidates
        down[0].isAvailable = false
        #expect(counts(&balancer, down, rounds: 6) == [b: 3, c: 3])
        #expect(balancer.choose(from: down, excluding: [b, c]) == nil)
        #expect(balancer.choose(from: []) == nil)
    }
}
