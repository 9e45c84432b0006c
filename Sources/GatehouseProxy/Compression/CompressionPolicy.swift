import Foundation
import GatehouseCore
import NIOHTTP1

/// Which responses the gateway compresses: compressible media types, at least `minimumBytes`
/// long (or of unknown length), with a body, not already encoded, not a range, not marked
/// `no-transform`, and not event streams (each event must reach the client at once).
enum CompressionPolicy {
    static func compressible(status: HTTPResponseStatus, headers: HTTPHeaders, method: HTTPMethod, minimumBytes: Int) -> Bool {
        guard !method.isHEAD, status.mayHaveResponseBody, status != .partialContent, status != .notModified else { return false }
        // Cheapest refusals first: most API responses are short.
        if let length = headers.first(name: "content-length").flatMap(Int.init), length < minimumBytes { return false }
        guard isCompressible(HeaderElement.mediaType(headers.first(name: "content-type"))) else { return false }
        if let coding = headers.first(name: "content-encoding"), coding.lowercased() != "identity" { return false }
        return !headers[canonicalForm: "cache-control"].contains(where: { $0.lowercased() == "no-transform" })
    }

    static func isCompressible(_ type: String) -> Bool {
        if type == "text/event-stream" { return false }
        if type.hasPrefix("text/") { return true }
        if type.hasSuffix("+json") || type.hasSuffix("+xml") { return true }
        return [
            "application/json", "application/javascript", "application/xml", "application/x-ndjson", "application/graphql-response+json",
            "image/svg+xml", "application/wasm", "application/x-www-form-urlencoded",
        ].contains(type)
    }

    /// The response fields once it is compressed with `coding`: the coding named, the length
    /// gone (the body is streamed), a strong `ETag` made weak (the bytes differ), and `Vary`
    /// naming `Accept-Encoding`.
    static func markCompressed(_ headers: inout HTTPHeaders, coding: ContentCoding) {
        headers.replaceOrAdd(name: "Content-Encoding", value: coding.rawValue)
        headers.remove(name: "content-length")
        if let tag = headers.first(name: "etag"), !tag.hasPrefix("W/") { headers.replaceOrAdd(name: "ETag", value: "W/" + tag) }
        addVary(&headers)
    }

    /// Adds `Accept-Encoding` to `Vary` (a response that could have been compressed varies by it).
    static func addVary(_ headers: inout HTTPHeaders) {
        if headers.contains(name: "vary") {
            let named = headers[canonicalForm: "vary"].map { $0.lowercased() }
            guard !named.contains("accept-encoding"), !named.contains("*") else { return }
        }
        headers.add(name: "Vary", value: "Accept-Encoding")
    }
}
