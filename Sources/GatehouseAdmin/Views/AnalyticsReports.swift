import GatehouseCore
import GatehouseEngine

/// The spec's analytics responses (`GetAnalyticsOverviewResponse`, `GetRouteAnalyticsResponse`,
/// `GetErrorAnalyticsResponse`) from a ``TrafficAnalysis`` of the metrics buckets. Times are milliseconds; rates are
/// fractions (0–1), percentages 0–100.
enum AnalyticsReports {
    static func overview(_ analysis: TrafficAnalysis, state: ConfigState) -> JSONValue {
        let all = analysis.overall
        let endpoints = analysis.byRoute.sorted { ($0.value.requests, $1.key) > ($1.value.requests, $0.key) }.prefix(10).map { id, tally -> JSONValue in
            let route = state.routes[id]
            return [
                "route_id": .string(id.description), "path": .optional(route?.routePath), "method": .optional(route?.routeMethod.rawValue),
                "requests": .int(tally.requests), "avg_response_time": .number(tally.averageMilliseconds),
            ]
        }
        let hours = analysis.hours
        let metrics: JSONValue = [
            "total_requests": .int(all.requests), "successful_requests": .int(all.requests - all.errors), "failed_requests": .int(all.errors),
            "average_response_time": .number(all.averageMilliseconds), "p95_response_time": .number(all.percentileMilliseconds(0.95)),
            "cache_hit_rate": .number(all.cacheHitRate), "unique_api_consumers": .int(analysis.consumers),
            "top_endpoints": .array(endpoints), "error_breakdown": .array(errorBreakdown(analysis)),
        ]
        let trends: JSONValue = [
            "requests_per_hour": .array(hours.map { ["hour": .string($0.start.rfc3339), "requests": .int($0.tally.requests)] }),
            "response_times": .array(hours.map {
                ["timestamp": .string($0.start.rfc3339), "avg_response_time": .number($0.tally.averageMilliseconds),
                 "p95_response_time": .number($0.tally.percentileMilliseconds(0.95))]
            }),
            "error_rates": .array(hours.map { ["timestamp": .string($0.start.rfc3339), "error_rate": .number($0.tally.errorRate)] }),
        ]
        return ["time_range": timeRange(analysis), "metrics": metrics, "trends": trends]
    }

    static func route(_ route: Route, _ analysis: TrafficAnalysis, state: ConfigState) -> JSONValue {
        let all = analysis.overall
        let consumers = analysis.byKey.sorted { ($0.value.requests, $1.key) > ($1.value.requests, $0.key) }.prefix(10).map { id, tally -> JSONValue in
            ["api_key_prefix": .optional(state.apiKeys[id]?.apiKeyPrefix), "requests": .int(tally.requests), "error_rate": .number(tally.errorRate)]
        }
        let geo = analysis.byPlace.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { place, count -> JSONValue in
            ["country": .string(place.country), "city": .string(place.city), "count": .int(count)]
        }
        return [
            "time_range": timeRange(analysis),
            "route_info": [
                "path": .string(route.routePath), "method": .string(route.routeMethod.rawValue),
                "backend_service": .optional(state.backendServices[route.backendServiceID]?.serviceName),
            ],
            "performance_metrics": [
                "total_requests": .int(all.requests), "average_response_time": .number(all.averageMilliseconds),
                "p50_response_time": .number(all.percentileMilliseconds(0.5)), "p95_response_time": .number(all.percentileMilliseconds(0.95)),
                "p99_response_time": .number(all.percentileMilliseconds(0.99)), "error_rate": .number(all.errorRate),
                "cache_hit_rate": .number(all.cacheHitRate),
            ],
            "request_patterns": [
                "requests_by_hour": .array(analysis.byHourOfDay.sorted { $0.key < $1.key }.map { ["hour": .int($0.key), "count": .int($0.value)] }),
                "requests_by_status": .array(analysis.byStatus.sorted { $0.key < $1.key }.map { ["status_code": .int($0.key), "count": .int($0.value)] }),
                "requests_by_geo": .array(geo),
            ],
            "top_consumers": .array(consumers),
        ]
    }

    static func errors(_ analysis: TrafficAnalysis, state: ConfigState) -> JSONValue {
        let all = analysis.overall
        let common = analysis.errors.sorted { ($0.value.requests, $1.key.status, $1.key.message) > ($1.value.requests, $0.key.status, $0.key.message) }
            .prefix(20).map { kind, seen -> JSONValue in
                [
                    "status_code": .int(kind.status), "error_message": .string(kind.message), "count": .int(seen.requests),
                    "first_seen": .optional(seen.firstSeen?.rfc3339), "last_seen": .optional(seen.lastSeen?.rfc3339),
                ]
            }
        let trends = analysis.hours.map { hour -> JSONValue in
            let breakdown = hour.errorStatuses.reduce(into: [String: JSONValue]()) { $0[String($1.key)] = .int($1.value) }
            return [
                "timestamp": .string(hour.start.rfc3339), "error_count": .int(hour.tally.errors), "error_rate": .number(hour.tally.errorRate),
                "breakdown": .object(breakdown),
            ]
        }
        let affected = analysis.byRoute.filter { $0.value.errors > 0 }.sorted { ($0.value.errors, $1.key) > ($1.value.errors, $0.key) }.map { id, tally -> JSONValue in
            let route = state.routes[id]
            return [
                "route_id": .string(id.description), "route_path": .optional(route?.routePath), "method": .optional(route?.routeMethod.rawValue),
                "error_count": .int(tally.errors), "error_rate": .number(tally.errorRate),
            ]
        }
        return [
            "time_range": timeRange(analysis),
            "error_summary": ["total_errors": .int(all.errors), "error_rate": .number(all.errorRate), "most_common_errors": .array(Array(common))],
            "error_trends": .array(trends), "affected_routes": .array(affected),
        ]
    }

    private static func timeRange(_ analysis: TrafficAnalysis) -> JSONValue {
        ["from": .string(analysis.from.rfc3339), "to": .string(analysis.to.rfc3339)]
    }

    private static func errorBreakdown(_ analysis: TrafficAnalysis) -> [JSONValue] {
        let total = max(analysis.overall.requests, 1)
        return analysis.byStatus.filter { $0.key >= 400 }.sorted { $0.key < $1.key }.map { status, count in
            ["status_code": .int(status), "count": .int(count), "percentage": .number(Double(count) * 100 / Double(total))]
        }
    }
}
