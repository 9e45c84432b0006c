import Foundation
import Synchronization

/// `GET /cacheable/…`: a resource whose caching fields the request chooses, and which counts how
/// often it was fetched — so tests can tell a cache hit (the count does not move) from a miss.
///
/// Query: `cache_control`, `etag`, `last_modified`, `cache_tag` (comma-separated),
/// `surrogate_key`, `vary`, `age`, `x_cache`, `surrogate_control`, `set_cookie=1`, `pad=N` (N more bytes of JSON), `chunked=1` (no
/// `Content-Length`). A matching
/// `If-None-Match` gets a 304.
final class DemoCacheable: Sendable {
    private let fetches = Mutex<[String: Int]>([:])
    private let notModified = Mutex(0)

    /// Fetches of every path so far, and 304s answered.
    var counts: (byPath: [String: Int], notModified: Int) { (fetches.withLock { $0 }, notModified.withLock { $0 }) }

    func reply(to request: DemoRequest, instance: String) -> DemoReply {
        let served = fetches.withLock { counts in
            counts[request.path, default: 0] += 1
            return counts[request.path]!
        }
        var headers: [(String, String)] = []
        let fields = [("cache_control", "Cache-Control"), ("etag", "ETag"), ("last_modified", "Last-Modified"), ("cache_tag", "Cache-Tag"),
                      ("surrogate_key", "Surrogate-Key"), ("vary", "Vary"), ("age", "Age"), ("x_cache", "X-Cache"),
                      ("surrogate_control", "Surrogate-Control")]
        for (parameter, field) in fields {
            if let value = request.query[parameter] { headers.append((field, value)) }
        }
        if request.query["set_cookie"] == "1" { headers.append(("Set-Cookie", "session=demo")) }
        if request.query["chunked"] == "1" { headers.append(("Transfer-Encoding", "chunked")) }
        if let tag = request.query["etag"], request.headers.contains(where: { $0.name.lowercased() == "if-none-match" && $0.value == tag }) {
            notModified.withLock { $0 += 1 }
            return .complete(status: 304, contentType: "application/json", body: Data(), headers: headers)
        }
        var object: [String: Any] = ["path": request.path, "served": served, "instance": instance, "query": request.query]
        if let pad = request.query["pad"].flatMap(Int.init), pad > 0 { object["padding"] = String(repeating: "wedding ", count: pad / 8 + 1) }
        let body = (try? JSONSerialization.data(withJSONObject: object, options: .sortedKeys)) ?? Data()
        return .complete(status: 200, contentType: "application/json", body: body, headers: headers)
    }
}
