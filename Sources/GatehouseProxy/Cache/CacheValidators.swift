import Foundation
import GatehouseCache
import GatehouseCore
import NIOHTTP1

/// Conditional requests against the cache (RFC 9110 §13): a client's `If-None-Match` or
/// `If-Modified-Since` answered with 304 from a stored entry.
enum CacheValidators {
    /// Whether the request carries validators of its own.
    static func isConditional(_ headers: ReceivedFields) -> Bool {
        headers.contains(name: "if-none-match") || headers.contains(name: "if-modified-since")
    }

    /// Whether the client's copy is the stored one: `If-None-Match` by weak comparison, else
    /// `If-Modified-Since` against `Last-Modified`. Only for stored 200s.
    static func clientHasCurrent(_ entry: CachedResponse, request headers: ReceivedFields) -> Bool {
        guard entry.status == .ok else { return false }
        let candidates = headers[canonicalForm: "if-none-match"]
        if !candidates.isEmpty {
            guard let stored = entry.entityTag else { return false }
            return candidates.contains { $0 == "*" || opaque(String($0)) == opaque(stored) }
        }
        guard let since = headers.first(name: "if-modified-since").flatMap(HTTPDate.parse),
              let modified = entry.lastModified.flatMap(HTTPDate.parse) else { return false }
        return modified <= since
    }

    /// Keeps what a 304 carries (RFC 9110 §15.4.5): no content fields.
    static func keepNotModifiedFields(_ headers: inout HTTPHeaders) {
        for name in ["content-length", "content-type", "content-encoding", "content-range"] { headers.remove(name: name) }
    }

    /// An entity tag without its weak marker.
    private static func opaque(_ tag: String) -> Substring {
        let trimmed = tag.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : trimmed[...]
    }
}
