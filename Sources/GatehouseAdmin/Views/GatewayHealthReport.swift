import GatehouseCore
import GatehouseEngine

/// The spec's `GetGatewayHealthResponse`: the gateway's status from its instances' health, the
/// last five minutes' p95 and server-error rate, and each instance's last check.
struct GatewayHealthReport: Encodable {
    struct Summary: Encodable {
        var status: String
        var totalServices: Int
        var healthyServices: Int
        var responseTimeP95: Double
        var errorRate5min: Double

        enum CodingKeys: String, CodingKey {
            case status
            case totalServices = "total_services"
            case healthyServices = "healthy_services"
            case responseTimeP95 = "response_time_p95"
            case errorRate5min = "error_rate_5min"
        }
    }

    struct Instance: Encodable {
        var id: String
        var serviceName: String
        var serviceURL: String
        var status: String
        var lastCheck: String?
        var responseTime: Double?
        var circuitBreakerState: String
        var requests5min: Int

        enum CodingKeys: String, CodingKey {
            case id, status
            case serviceName = "service_name"
            case serviceURL = "service_url"
            case lastCheck = "last_check"
            case responseTime = "response_time"
            case circuitBreakerState = "circuit_breaker_state"
            case requests5min = "requests_5min"
        }
    }

    var gatewayHealth: Summary
    var backendServices: [Instance]

    enum CodingKeys: String, CodingKey {
        case gatewayHealth = "gateway_health"
        case backendServices = "backend_services"
    }

    /// `healthy` when every instance is, `unhealthy` when none is (or there are none), else `degraded`.
    init(
        gateway: Gateway, instances: [BackendService], breakers: [BackendServiceID: CircuitBreakerState],
        observations: [BackendServiceID: HealthObservation], recent: [BackendServiceID: MetricTally], overall: MetricTally
    ) {
        let usable = instances.filter { $0.isHealthy && breakers[$0.id]?.currentState != .open }
        let status = instances.isEmpty || usable.isEmpty ? "unhealthy" : usable.count == instances.count ? "healthy" : "degraded"
        gatewayHealth = Summary(
            status: status, totalServices: instances.count, healthyServices: usable.count,
            responseTimeP95: overall.percentileMilliseconds(0.95), errorRate5min: overall.serverErrorRate
        )
        backendServices = instances.map { instance in
            let observation = observations[instance.id]
            return Instance(
                id: instance.id.description, serviceName: instance.serviceName, serviceURL: instance.serviceURL,
                status: instance.isHealthy ? "healthy" : "unhealthy", lastCheck: observation?.checkedAt.rfc3339,
                responseTime: observation?.responseMilliseconds ?? recent[instance.id].map(\.averageBackendMilliseconds),
                circuitBreakerState: (breakers[instance.id]?.currentState ?? .closed).rawValue,
                requests5min: Int(recent[instance.id]?.requests ?? 0)
            )
        }
    }
}
