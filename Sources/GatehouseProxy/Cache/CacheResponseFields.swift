import Foundation
import GatehouseCache
import GatehouseCore
import NIOHTTP1

/// Response fields of a caching route: the spec's `X-Cache`, the origin's cache tags (kept for
/// invalidation, not shown to clients — as CDNs do), and caching fields for an edge in front.
enum CacheResponseFields {
    /// Sets `X-Cache`; when `freshness` is given (the response is cacheable), adds
    /// `Surrogate-Control` for an edge, and a `Cache-Control` when the upstream set none
    /// (`private` for per-consumer entries, so shared caches keep out). Fields `held` names
    /// are replaced, the others added without a search (a hit knows; see ``ServingFields``).
    static func apply(
        to headers: inout HTTPHeaders, status: CacheStatus, freshness: Int?, isPerConsumer: Bool, upstreamSetPolicy: Bool, held: ServingFields = .all
    ) {
        set(&headers, "X-Cache", status.headerValue, replacing: held.contains(.xCache))
        guard let freshness else { return }
        if !isPerConsumer { set(&headers, "Surrogate-Control", "max-age=\(freshness)", replacing: held.contains(.surrogateControl)) }
        if !upstreamSetPolicy {
            set(&headers, "Cache-Control", "\(isPerConsumer ? "private" : "public"), max-age=\(freshness)", replacing: held.contains(.cacheControl))
        }
    }

    /// Sets a field: replacing any of that name when there may be one, else appending it.
    static func set(_ headers: inout HTTPHeaders, _ name: String, _ value: String, replacing: Bool) {
        if replacing { headers.replaceOrAdd(name: name, value: value) } else { headers.add(name: name, value: value) }
    }

    /// Removes `Cache-Tag` (comma-separated) and `Surrogate-Key` (space-separated) and returns their tags.
    static func removeTags(from headers: inout HTTPHeaders) -> [String] {
        var tags: [String] = []
        for value in headers["cache-tag"] { tags += value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        for value in headers["surrogate-key"] { tags += value.split(separator: " ").map(String.init) }
        headers.remove(name: "cache-tag")
        headers.remove(name: "surrogate-key")
        return tags.filter { !$0.isEmpty }
    }
}
