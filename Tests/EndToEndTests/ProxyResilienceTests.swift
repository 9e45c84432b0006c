import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

@Suite("proxy: balancing, failover, breakers, retries, timeouts", .serialized)
struct ProxyResilienceTests {
    /// How many of `count` GETs to `target` each upstream answered, by its port.
    private func distribution(_ fixture: ProxyFixture, count: Int, target: String = "/api/echo/lb") async throws -> [Int: Int] {
        var served: [Int: Int] = [:]
        for _ in 0 ..< count {
            let response = try await TestHTTP.request("GET", target, port: fixture.port)
            #expect(response.status == 200)
            let instance = try #require(response.header("X-Upstream-Instance"))
            served[Int(instance.split(separator: ":").last!)!, default: 0] += 1
        }
        return served
    }

    @Test("round_robin alternates between instances")
    func roundRobin() async throws {
        let fixture = try ProxyFixture.start(upstreams: 2)
        defer { fixture.tearDown() }
        let served = try await distribution(fixture, count: 20)
        #expect(served == [fixture.upstreams[0].port: 10, fixture.upstreams[1].port: 10])
    }

    @Test("weighted follows the weights exactly over a full cycle")
    func weighted() async throws {
        let fixture = try ProxyFixture.start(upstreams: 2, strategy: "weighted", instanceFields: ["weight: 3", "weight: 1"])
        defer { fixture.tearDown() }
        let served = try await distribution(fixture, count: 40)
        #expect(served == [fixture.upstreams[0].port: 30, fixture.upstreams[1].port: 10])
    }

    @Test("least_connections sends new requests away from an instance busy with a slow one")
    func leastConnections() async throws {
        let fixture = try ProxyFixture.start(upstreams: 2, strategy: "least_connections")
        defer { fixture.tearDown() }
        async let slow = TestHTTP.request("GET", "/api/echo/slow?delay_ms=1500", port: fixture.port)
        // Wait until the slow request is in flight at one of the instances.
        var busy: Int?
        for _ in 0 ..< 100 where busy == nil {
            for (index, upstream) in fixture.upstreams.enumerated() {
                let stats = try await TestHTTP.request("GET", "/_demo/stats", port: upstream.port).json()
                if stats["in_flight"] as? Int == 1 { busy = index }
            }
            if busy == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let busyIndex = try #require(busy)
        let served = try await distribution(fixture, count: 4)
        #expect(served == [fixture.upstreams[1 - busyIndex].port: 4])
        #expect(try await slow.header("X-Upstream-Instance") == "127.0.0.1:\(fixture.upstreams[busyIndex].port)")
    }

    @Test("priority tiers: the backup tier only serves while the primary is down")
    func priorityFailover() async throws {
        let fixture = try ProxyFixture.start(upstreams: 2, instanceFields: ["priority: 1", "priority: 2"])
        defer { fixture.tearDown() }
        #expect(try await distribution(fixture, count: 4) == [fixture.upstreams[0].port: 4])
        fixture.upstreams[0].process.kill()
        #expect(try await distribution(fixture, count: 4) == [fixture.upstreams[1].port: 4])
    }

    @Test("an instance that dies mid-load costs no failed request: connects fail over, and its breaker opens")
    func failover() async throws {
        let fixture = try ProxyFixture.start(upstreams: 2, instanceFields: Array(repeating: "circuit_breaker_config: { failure_threshold: 2, timeout: 60000 }", count: 2))
        _ = try await distribution(fixture, count: 6)
        fixture.upstreams[0].process.kill()
        let after = try await distribution(fixture, count: 20)
        #expect(after == [fixture.upstreams[1].port: 20])
        fixture.stop()
        defer { fixture.directory.remove() }
        let outcomes = try fixture.outcomes()
        #expect(outcomes.count == 26)
        #expect(outcomes.allSatisfy { $0.status == 200 })
        #expect(outcomes.contains { $0.retries == 1 }, "connect failures were retried on the other instance")
        let opened = try fixture.controlEvents().compactMap { event -> BackendServiceID? in
            if case .circuitOpened(let transition) = event { return transition.backendServiceID }
            return nil
        }
        #expect(opened.count == 1)
    }

    @Test("a failing instance's breaker opens (503 + Retry-After), admits a trial after its timeout, and closes on success")
    func breakerLifecycle() async throws {
        let fixture = try ProxyFixture.start(
            upstreams: 1, instanceFields: ["retry_attempts: 0, circuit_breaker_config: { failure_threshold: 3, timeout: 400, half_open_max_calls: 1 }"]
        )
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 1}"#)
        for _ in 0 ..< 3 {
            #expect(try await TestHTTP.request("GET", "/api/echo/cb", port: fixture.port).status == 500)
        }
        let rejected = try await TestHTTP.request("GET", "/api/echo/cb", port: fixture.port)
        #expect(rejected.status == 503)
        #expect(try rejected.json()["code"] as? String == "circuit_open")
        #expect(rejected.header("Retry-After") == "1")
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 0}"#)
        try await Task.sleep(for: .milliseconds(600))  // past the open period; no timing is asserted
        #expect(try await TestHTTP.request("GET", "/api/echo/cb", port: fixture.port).status == 200)
        #expect(try await TestHTTP.request("GET", "/api/echo/cb", port: fixture.port).status == 200)
        fixture.stop()
        defer { fixture.directory.remove() }
        let transitions = try fixture.controlEvents().compactMap { event -> String? in
            switch event {
            case .circuitOpened: "opened"
            case .circuitHalfOpened: "half-opened"
            case .circuitClosed: "closed"
            case .instanceHealthChanged(let change): change.isHealthy ? "healthy" : "unhealthy"
            default: nil
            }
        }
        #expect(transitions == ["opened", "unhealthy", "half-opened", "closed", "healthy"])
        let decisions = try fixture.outcomes().map(\.decision)
        #expect(decisions == [.proxied, .proxied, .proxied, .circuitOpen, .proxied, .proxied])
    }

    @Test("502/503 from an instance are retried elsewhere for idempotent methods only")
    func retriesOnlyWhenAllowed() async throws {
        let breakerOff = "retry_attempts: 1, circuit_breaker_config: { failure_threshold: 1000 }"
        let fixture = try ProxyFixture.start(upstreams: 2, instanceFields: [breakerOff, breakerOff])
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 1, "error_status": 503}"#)
        var getStatuses: [Int] = []
        var postAnswers: [(status: Int, instance: String?)] = []
        for _ in 0 ..< 6 {
            getStatuses.append(try await TestHTTP.request("GET", "/api/echo/r", port: fixture.port).status)
        }
        for _ in 0 ..< 6 {
            let post = try await TestHTTP.request("POST", "/api/echo/r", port: fixture.port, body: Data("{}".utf8))
            postAnswers.append((post.status, post.header("X-Upstream-Instance")))
        }
        #expect(getStatuses == Array(repeating: 200, count: 6))
        let failedPosts = postAnswers.filter { $0.status == 503 }
        #expect(!failedPosts.isEmpty, "POSTs that reached the failing instance are not retried")
        #expect(failedPosts.allSatisfy { $0.instance == "127.0.0.1:\(fixture.upstreams[0].port)" })
        fixture.stop()
        defer { fixture.directory.remove() }
        let outcomes = try fixture.outcomes()
        #expect(outcomes.filter { $0.method == "POST" }.allSatisfy { $0.retries == 0 })
        #expect(outcomes.filter { $0.method == "GET" }.contains { $0.retries == 1 })
    }

    @Test("an upstream slower than timeout_ms → 504; an unreachable one → 502")
    func timeoutsAndUnreachable() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, instanceFields: ["timeout_ms: 300, retry_attempts: 0"])
        defer { fixture.tearDown() }
        let slow = try await TestHTTP.request("GET", "/api/echo/slow?delay_ms=5000", port: fixture.port)
        #expect(slow.status == 504)
        #expect(try slow.json()["code"] as? String == "upstream_timeout")
        #expect(try await TestHTTP.request("GET", "/api/echo/fast", port: fixture.port).status == 200, "the gateway recovers")
        fixture.upstreams[0].process.kill()
        let down = try await TestHTTP.request("GET", "/api/echo/down", port: fixture.port)
        #expect(down.status == 502)
        #expect(try down.json()["code"] as? String == "upstream_unavailable")
    }

    @Test("max_connections caps the connections to an instance; requests beyond it wait for one instead of failing")
    func connectionCap() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, instanceFields: ["max_connections: 1"])
        defer { fixture.tearDown() }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0 ..< 4 {
                group.addTask { try await TestHTTP.request("GET", "/api/echo/cap\(index)?delay_ms=200", port: fixture.port).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [200, 200, 200, 200])
        let stats = try await TestHTTP.request("GET", "/_demo/stats", port: fixture.upstreams[0].port).json()
        #expect(stats["peak_in_flight"] as? Int == 1, "the upstream never had more than one request at once: \(stats)")
    }

    @Test("SIGTERM drains: a request in flight still gets its answer, then the gateway exits 0")
    func gracefulShutdown() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        defer { fixture.tearDown() }
        async let slow = TestHTTP.request("GET", "/api/echo/drain?delay_ms=1500", port: fixture.port)
        try await Task.sleep(for: .milliseconds(400))  // let the request reach the upstream
        let exit = fixture.gateway.stop()
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(exit == 0)
        #expect(fixture.gateway.process.output.contains { $0.contains("\"event\":\"stopped\"") && $0.contains("\"outcomes_written\":1") })
    }
}

@Suite("proxy: active health checks", .serialized)
struct ProxyHealthCheckTests {
    /// Sends requests until `count` in a row came from `port` (at most `limit` requests, 100 ms apart).
    private func waitUntilServedOnlyBy(_ port: Int, _ fixture: ProxyFixture, count: Int = 6, limit: Int = 400) async throws -> Bool {
        var streak = 0
        for _ in 0 ..< limit {
            let response = try await TestHTTP.request("GET", "/api/echo/health", port: fixture.port)
            streak = response.status == 200 && response.header("X-Upstream-Instance") == "127.0.0.1:\(port)" ? streak + 1 : 0
            if streak == count { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("an instance failing its health endpoint is taken out of rotation and put back when it recovers; both are events")
    func activeChecks() async throws {
        let noBreaker = "circuit_breaker_config: { failure_threshold: 1000 }, retry_attempts: 0"
        let fixture = try ProxyFixture.start(upstreams: 2, instanceFields: [noBreaker, noBreaker], gatewayFields: ["health_check_interval: 1"])
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 1, "error_status": 503}"#)
        #expect(try await waitUntilServedOnlyBy(fixture.upstreams[1].port, fixture))
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 0}"#)
        var servedByFirst = false
        var answers: [String: Int] = [:]  // what came back meanwhile, for the failure message
        let recoveredAt = ContinuousClock.now
        for _ in 0 ..< 600 where !servedByFirst {  // up to 60 s: a loaded 2-core machine delays the checks
            let response = try await TestHTTP.request("GET", "/api/echo/health", port: fixture.port)
            servedByFirst = response.header("X-Upstream-Instance") == "127.0.0.1:\(fixture.upstreams[0].port)"
            answers["\(response.status) \(response.header("X-Upstream-Instance") ?? "-")", default: 0] += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(servedByFirst, "the recovered instance is used again; after \(ContinuousClock.now - recoveredAt): \(answers)")
        fixture.stop()
        defer { fixture.directory.remove() }
        let changes = try fixture.controlEvents().compactMap { event -> String? in
            if case .instanceHealthChanged(let change) = event { return change.reason }
            return nil
        }
        #expect(changes == ["active_check_failed", "active_check_passed"], "the instance's health events: \(changes)")
    }

    /// Waits (up to 60 s) until the log holds `count` health events of `instance`.
    private func healthEvents(of instance: BackendServiceID, _ fixture: ProxyFixture, count: Int) async throws -> [String] {
        var reasons: [String] = []
        for _ in 0 ..< 600 {
            reasons = try fixture.controlEvents().compactMap { event in
                if case .instanceHealthChanged(let change) = event, change.backendServiceID == instance { return change.reason }
                return nil
            }
            if reasons.count >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return reasons
    }

    @Test("an instance marked unhealthy when its event loop first used the service is used again once it recovers")
    func recoveryAfterFirstUse() async throws {
        let noBreaker = "circuit_breaker_config: { failure_threshold: 1000 }, retry_attempts: 0"
        let fixture = try ProxyFixture.start(
            upstreams: 2, instanceFields: [noBreaker, noBreaker], gatewayFields: ["health_check_interval: 1"],
            serveArguments: { _ in ["--event-loops", "1"] }
        )
        defer { fixture.tearDown() }
        let first = try #require(try fixture.controlEvents().compactMap { event -> BackendServiceID? in
            if case .backendServiceRegistered(let service) = event, service.serviceURL == fixture.upstreams[0].url { return service.id }
            return nil
        }.first)
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 1, "error_status": 503}"#)
        #expect(try await healthEvents(of: first, fixture, count: 1) == ["active_check_failed"])
        // The loop's first request for the service: its pool starts with the instance unhealthy.
        #expect(try await TestHTTP.request("GET", "/api/echo/first-use", port: fixture.port).header("X-Upstream-Instance") == "127.0.0.1:\(fixture.upstreams[1].port)")
        try await fixture.setBehaviour(of: 0, #"{"error_rate": 0}"#)
        #expect(try await healthEvents(of: first, fixture, count: 2) == ["active_check_failed", "active_check_passed"])
        var served: [String: Int] = [:]
        for index in 0 ..< 20 {  // round robin over two instances: the recovered one within two requests
            let response = try await TestHTTP.request("GET", "/api/echo/after-\(index)", port: fixture.port)
            served[response.header("X-Upstream-Instance") ?? "\(response.status)", default: 0] += 1
        }
        #expect(served["127.0.0.1:\(fixture.upstreams[0].port)", default: 0] >= 5, "served: \(served)")
    }

    @Test("when every instance fails its checks, traffic still flows (fail open)")
    func failOpen() async throws {
        let fixture = try ProxyFixture.start(
            upstreams: 1, instanceFields: ["health_check_endpoint: /nowhere, circuit_breaker_config: { failure_threshold: 1000 }"],
            gatewayFields: ["health_check_interval: 1"]
        )
        var sawUnhealthy = false
        for _ in 0 ..< 100 where !sawUnhealthy {
            try await Task.sleep(for: .milliseconds(100))
            let response = try await TestHTTP.request("GET", "/api/echo/open", port: fixture.port)
            #expect(response.status == 200)
            if try Self.healthEvents(in: fixture) > 0 { sawUnhealthy = true }
        }
        #expect(sawUnhealthy)
        #expect(try await TestHTTP.request("GET", "/api/echo/open", port: fixture.port).status == 200)
        fixture.tearDown()
    }

    private static func healthEvents(in fixture: ProxyFixture) throws -> Int {
        try fixture.controlEvents().filter { if case .instanceHealthChanged = $0 { true } else { false } }.count
    }
}

@Suite("proxy: trusted proxies and geo routing", .serialized)
struct ProxyGeoTests {
    @Test("geo_based sends each client to the nearest instance, by the location a trusted CDN reports")
    func nearestInstance() async throws {
        let fixture = try ProxyFixture.start(
            upstreams: 2, strategy: "geo_based",
            instanceFields: ["metadata: { region: eu-west, latitude: 51.5, longitude: -0.12 }", "metadata: { region: us-east, latitude: 40.7, longitude: -74.0 }"],
            serveArguments: { _ in ["--trusted-proxy", "127.0.0.0/8"] }
        )
        defer { fixture.tearDown() }
        for (latitude, longitude, nearest) in [("48.85", "2.35", 0), ("42.36", "-71.06", 1), ("52.52", "13.40", 0)] {
            for _ in 0 ..< 3 {
                let response = try await TestHTTP.request("GET", "/api/echo/geo", port: fixture.port, headers: [
                    ("CloudFront-Viewer-Latitude", latitude), ("CloudFront-Viewer-Longitude", longitude),
                ])
                #expect(response.header("X-Upstream-Instance") == "127.0.0.1:\(fixture.upstreams[nearest].port)")
            }
        }
    }

    @Test("behind a trusted proxy, X-Forwarded-For is extended and the outcome names the original client")
    func forwardedFor() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1, serveArguments: { _ in ["--trusted-proxy", "127.0.0.1"] })
        let response = try await TestHTTP.request("GET", "/api/echo/xff", port: fixture.port, headers: [("X-Forwarded-For", "203.0.113.9")])
        #expect((try response.json()["headers"] as? [String: [String]])?["x-forwarded-for"] == ["203.0.113.9, 127.0.0.1"])
        fixture.stop()
        defer { fixture.directory.remove() }
        #expect(try fixture.outcomes().first?.clientIP?.description == "203.0.113.9")
    }
}
