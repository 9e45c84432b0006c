import GatehouseCache
import GatehouseCore
import GatehouseEngine
import Hummingbird

/// `GET /metrics`: Prometheus metrics. Traffic figures come from the metrics projection — the
/// request outcomes in the log, so counters cover everything recorded and survive restarts —
/// and the rest from live state: instance health, the cache, the log's position.
///
/// The exposition is written directly rather than through a client library's instruments:
/// the values are projections of the event log, not counters bumped on the request path, and
/// the latency histograms come pre-aggregated from the buckets.
struct MetricsEndpoint {
    let services: AdminServices

    /// `le` bounds of the duration histograms, in seconds.
    static let durationBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    func register(on routes: AdminRoutes) {
        routes.add(.get, "/metrics", "Prometheus metrics (text exposition format)", tag: "meta") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: try render())))
        }
    }

    func render() throws -> String {
        let state = services.state
        var text = PrometheusText()
        try services.metrics.read { buckets in
            let now = Timestamp.now()
            let start = buckets.earliest ?? now
            let end = now.adding(seconds: 60)
            let tallies = buckets.tallies(from: start, to: end) { _ in true }
            let gatewayName = { (id: GatewayID) in state.gateways[id]?.name ?? id.description }

            text.family("gatehouse_requests_total", .counter, "Requests recorded, by gateway.")
            for case let (.gateway(id), tally) in tallies { text.sample("gatehouse_requests_total", [("gateway", gatewayName(id))], Double(tally.requests)) }
            text.family("gatehouse_responses_total", .counter, "Responses by status class (none: the client left first).")
            let classes = tallies.reduce(into: [Int: UInt64]()) { classes, entry in
                if let group = entry.key.statusClass { classes[group, default: 0] += entry.value.requests }
            }
            for (group, requests) in classes.sorted(by: { $0.key < $1.key }) {
                text.sample("gatehouse_responses_total", [("status_class", group == 0 ? "none" : "\(group)xx")], Double(requests))
            }
            let routes = tallies.compactMap { dimension, tally -> (Route, MetricTally)? in
                guard case .route(let id) = dimension, let route = state.routes[id] else { return nil }
                return (route, tally)
            }.sorted { ($0.0.routePath, $0.0.routeMethod.rawValue) < ($1.0.routePath, $1.0.routeMethod.rawValue) }
            func labels(_ route: Route) -> [(String, String)] {
                [("gateway", gatewayName(route.gatewayID)), ("route", route.routePath), ("method", route.routeMethod.rawValue)]
            }
            text.family("gatehouse_route_requests_total", .counter, "Requests by route template and method.")
            for (route, tally) in routes { text.sample("gatehouse_route_requests_total", labels(route), Double(tally.requests)) }
            text.family("gatehouse_route_responses_total", .counter, "Responses by route template, method and status (0: none sent).")
            let routeStatuses = tallies.compactMap { dimension, tally -> (Route, Int, MetricTally)? in
                guard case .routeStatus(let id, let status) = dimension, let route = state.routes[id] else { return nil }
                return (route, status, tally)
            }.sorted { ($0.0.routePath, $0.0.routeMethod.rawValue, $0.1) < ($1.0.routePath, $1.0.routeMethod.rawValue, $1.1) }
            for (route, status, tally) in routeStatuses {
                text.sample("gatehouse_route_responses_total", labels(route) + [("status", String(status))], Double(tally.requests))
            }
            text.family("gatehouse_route_errors_total", .counter, "Error responses by route template, method and class.")
            for (route, tally) in routes {
                text.sample("gatehouse_route_errors_total", labels(route) + [("class", "4xx")], Double(tally.clientErrors))
                text.sample("gatehouse_route_errors_total", labels(route) + [("class", "5xx")], Double(tally.serverErrors))
            }
            text.family("gatehouse_request_duration_seconds", .histogram, "End-to-end request time by route template and method.")
            let bounds = Self.durationBounds.map { Int64($0 * 1_000_000) }
            for (route, tally) in routes {
                for (bound, count) in zip(Self.durationBounds, tally.latency.cumulativeCounts(atMost: bounds)) {
                    text.sample("gatehouse_request_duration_seconds_bucket", labels(route) + [("le", String(bound))], Double(count))
                }
                text.sample("gatehouse_request_duration_seconds_bucket", labels(route) + [("le", "+Inf")], Double(tally.requests))
                text.sample("gatehouse_request_duration_seconds_sum", labels(route), Double(tally.totalMicros) / 1_000_000)
                text.sample("gatehouse_request_duration_seconds_count", labels(route), Double(tally.requests))
            }
            let all = tallies[.all] ?? MetricTally()
            text.single("gatehouse_response_bytes_total", .counter, "Response bytes sent to clients.", Double(all.responseBytes))
            text.single("gatehouse_cache_lookups_total", .counter, "Requests on caching routes that looked the cache up.", Double(all.cacheLookups))
            text.single("gatehouse_cache_hits_total", .counter, "Requests answered from the cache.", Double(all.cacheHits))
        }
        liveState(&text, state: state)
        return text.text
    }

    /// What is not in the log: instance health, the cache's contents, the outcome writer, the
    /// limiter, the log's position.
    private func liveState(_ text: inout PrometheusText, state: ConfigState) {
        text.family("gatehouse_upstream_up", .gauge, "1 when the instance's last active health check passed, 0 when it failed.")
        for (id, observation) in services.health().sorted(by: { $0.key.description < $1.key.description }) {
            guard let instance = state.backendServices[id] else { continue }
            text.sample("gatehouse_upstream_up", [("service", instance.serviceName), ("instance", instance.serviceURL)], observation.healthy ? 1 : 0)
        }
        text.family("gatehouse_circuit_breaker_state", .gauge, "Each instance's breaker as last recorded in the log: 0 closed, 1 half-open, 2 open.")
        for instance in state.backendServices.values.sorted(by: { ($0.serviceName, $0.serviceURL) < ($1.serviceName, $1.serviceURL) }) {
            let breaker: Double = switch state.circuitBreakers[instance.id]?.currentState ?? .closed {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
            text.sample("gatehouse_circuit_breaker_state", [("service", instance.serviceName), ("instance", instance.serviceURL)], breaker)
        }
        if let cache = services.cache {
            let (entries, bytes, counters) = cache.contents()
            text.single("gatehouse_cache_entries", .gauge, "Responses held by the cache.", Double(entries.count))
            text.single("gatehouse_cache_bytes", .gauge, "Bytes held by the cache.", Double(bytes))
            text.single("gatehouse_cache_evictions_total", .counter, "Entries evicted to stay within the budget since the process started.", Double(counters.evictions))
        }
        if let statistics = services.recorder?() {
            text.single("gatehouse_outcome_queue_depth", .gauge, "Request outcomes waiting for the log writer.", Double(statistics.pending))
            text.single("gatehouse_outcomes_written_total", .counter, "Request outcomes committed to the log since the process started.", Double(statistics.written))
            text.single("gatehouse_outcomes_dropped_total", .counter, "Request outcomes dropped because the queue was full (each gap is an event in the log).", Double(statistics.dropped))
            text.single("gatehouse_log_commits_total", .counter, "Batch commits of request outcomes since the process started.", Double(statistics.commits))
            text.single("gatehouse_log_commit_seconds", .gauge, "Duration of the last batch commit (with its fsync).", Double(statistics.lastCommitMicros) / 1_000_000)
        }
        if let limiter = services.limiter?() {
            text.single("gatehouse_limiter_callers", .gauge, "Callers (keys, JWT subjects, addresses) with rate-limiter state.", Double(limiter.callers))
            text.single("gatehouse_limiter_refusals_total", .counter, "Requests refused by a rate limit or quota since the process started.", Double(limiter.refusals))
            text.single("gatehouse_limiter_shadow_violations_total", .counter, "Requests a shadow-mode limit would have refused since the process started.", Double(limiter.shadowViolations))
        }
        text.single("gatehouse_config_sequence", .gauge, "Log sequence of the configuration being served.", Double(state.lastSequence))
    }
}
