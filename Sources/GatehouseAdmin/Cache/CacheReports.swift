import GatehouseCache
import GatehouseCore
import GatehouseEngine

/// The spec's `GetCacheStatsResponse`: what the cache holds now (entries, bytes, by route, by
/// freshness lifetime, by content type) and how it did over the last 24 hours — hit and miss
/// rates and cached/uncached response times from the request outcomes, evictions from the
/// cache's own hourly counters. Rates are fractions (0…1), as in the analytics responses.
enum CacheReports {
    /// `traffic`: the last 24 hours' `routeCacheUse` tallies of the metrics projection.
    static func stats(cache: ResponseCache, traffic: MetricsBuckets.Tallies, state: ConfigState, now: Timestamp) -> JSONValue {
        let (entries, bytes, counters) = cache.contents()
        let uses = traffic.compactMap { dimension, tally -> (hit: Bool, requests: UInt64)? in
            if case .routeCacheUse(_, let hit) = dimension { (hit, tally.requests) } else { nil }
        }
        let hits = uses.filter(\.hit).reduce(0) { $0 + $1.requests }
        let fetched = uses.filter { !$0.hit }.reduce(0) { $0 + $1.requests }
        let day = counters.lastDay(upTo: now.microseconds / 3_600_000_000)
        let overview: JSONValue = [
            "total_cached_responses": .int(entries.count), "cache_size_bytes": .int(bytes),
            "hit_rate_24h": .number(rate(hits, of: hits + fetched)), "miss_rate_24h": .number(rate(fetched, of: hits + fetched)),
            "eviction_rate_24h": .number(rate(day.evictions, of: day.stores)),
            "capacity_bytes": .int(cache.capacityBytes), "max_entry_bytes": .int(cache.maxEntryBytes),
            "stale_entries": .int(entries.filter { !$0.isFresh(at: now) }.count),
            "since_start": [
                "hits": .int(counters.hits), "misses": .int(counters.misses), "stale": .int(counters.stale), "stores": .int(counters.stores),
                "evictions": .int(counters.evictions), "invalidations": .int(counters.invalidations),
                "expirations": .int(counters.expirations),
            ],
        ]
        return [
            "cache_overview": overview,
            "cache_performance": .array(performance(entries: entries, traffic: traffic, state: state)),
            "cache_distribution": [
                "by_ttl": .array(distribution(entries, by: { ttlRange($0.freshnessSeconds) }, order: ttlRanges, label: "ttl_range")),
                "by_content_type": .array(distribution(entries, by: \.contentType, order: nil, label: "content_type")),
            ],
        ]
    }

    /// Per route that caches (or still has entries): hit rate, bytes held, and what the cache saved.
    private static func performance(entries: [CachedResponse], traffic: MetricsBuckets.Tallies, state: ConfigState) -> [JSONValue] {
        let entriesByRoute = Dictionary(grouping: entries, by: \.routeID)
        let routes = state.routes.values.filter { $0.cacheConfig.enabled || entriesByRoute[$0.id] != nil }
        return routes.sorted { ($0.routePath, $0.routeMethod.rawValue) < ($1.routePath, $1.routeMethod.rawValue) }.map { route in
            let cached = traffic[.routeCacheUse(route.id, hit: true)] ?? MetricTally()
            let uncached = traffic[.routeCacheUse(route.id, hit: false)] ?? MetricTally()
            let held = entriesByRoute[route.id] ?? []
            let saved = uncached.requests > 0 && cached.requests > 0
                ? max(0, uncached.averageMilliseconds - cached.averageMilliseconds) * Double(cached.requests) : 0
            return [
                "route_id": .string(route.id.description), "route_path": .string(route.routePath), "method": .string(route.routeMethod.rawValue),
                "hit_rate": .number(rate(cached.requests, of: cached.requests + uncached.requests)),
                "cache_size": .int(held.reduce(0) { $0 + $1.heldBytes }), "entries": .int(held.count),
                "avg_response_time_cached": .number(cached.averageMilliseconds), "avg_response_time_uncached": .number(uncached.averageMilliseconds),
                "savings_ms": .number(saved),
            ]
        }
    }

    private static let ttlRanges = ["0-60s", "1-5m", "5-60m", "1-24h", "24h+"]

    private static func ttlRange(_ seconds: Int) -> String {
        switch seconds {
        case ..<60: "0-60s"
        case ..<300: "1-5m"
        case ..<3600: "5-60m"
        case ..<86_400: "1-24h"
        default: "24h+"
        }
    }

    private static func distribution(_ entries: [CachedResponse], by group: (CachedResponse) -> String, order: [String]?, label: String) -> [JSONValue] {
        let groups = Dictionary(grouping: entries, by: group)
        let names = order?.filter { groups[$0] != nil } ?? groups.keys.sorted { groups[$0]!.count > groups[$1]!.count || (groups[$0]!.count == groups[$1]!.count && $0 < $1) }
        return names.map { name in
            [label: .string(name), "count": .int(groups[name]!.count), "size_bytes": .int(groups[name]!.reduce(0) { $0 + $1.heldBytes })]
        }
    }

    private static func rate<Count: BinaryInteger>(_ part: Count, of whole: Count) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
