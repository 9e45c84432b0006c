import Foundation
import GatehouseCore
import NIOHTTP1

/// Response fields of a caching route: the spec's `X-Cache`, the origin's cache tags (kept for
/// invalidation, not shown to clients — as CDNs do), and caching fields for an edge in front.
enum CacheResponseFields {
    /// Sets `X-Cache`; when `freshness` is given (the response is cacheable), adds
    /// `Surrogate-Control` for an edge, and a `Cache-Control` when the upstream set none
    /// (`private` for per-consumer entries, so shared caches keep out).
    static func apply(to headers: inout HTTPHeaders, status: CacheStatus, freshness: Int?, isPerConsumer: Bool, upstreamSetPolicy: Bool) {
        headers.replaceOrAdd(name: "X-Cache", value: status.headerValue)
        guard let freshness else { return }
        if !isPerConsumer { headers.replaceOrAdd(name: "Surrogate-Control", value: "max-age=\(freshness)") }
        if !upstreamSetPolicy {
            headers.replaceOrAdd(name: "Cache-Control", value: "\(isPerConsumer ? "private" : "public"), max-age=\(freshness)")
        }
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
