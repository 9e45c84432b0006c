import Hummingbird

/// Optimistic concurrency on admin writes: the `If-Match` header names the revision the caller
/// last read (the `ETag` of a GET: `"42"`, weak or strong; `*` means "any").
enum Precondition {
    /// The revision the request insists on, `nil` when it sent none (or `*`).
    static func expectedRevision(_ request: Request) throws -> UInt64? {
        guard let header = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), header != "*" else { return nil }
        var tag = Substring(header)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        guard tag.count >= 3, tag.first == "\"", tag.last == "\"", let revision = UInt64(tag.dropFirst().dropLast()) else {
            throw AdminError(.badRequest, "invalid_if_match", "If-Match must be an ETag from this API, like \"42\"")
        }
        return revision
    }

    /// The `ETag` value for a revision.
    static func etag(_ revision: UInt64) -> String { "\"\(revision)\"" }
}
