import Foundation
import GatehouseCore
import NIOCore
import NIOHTTP1

/// The body steps of a transform applied to a whole JSON body, and when they may be: only JSON
/// bodies (`application/json` or `+json`) within the size limit — anything else passes through
/// untouched, with the reason kept for the outcome.
enum JSONBodyTransform {
    /// Why a body was left as it was.
    enum Skip: Error, CustomStringConvertible {
        case notJSON(String)
        case tooLarge(limit: Int)
        case unknownLength
        case invalidJSON

        var description: String {
            switch self {
            case .notJSON(let type): "transform skipped: the body is \(type.isEmpty ? "untyped" : type), not JSON"
            case .tooLarge(let limit): "transform skipped: the body is larger than \(limit) bytes"
            case .unknownLength: "transform skipped: the request body has no Content-Length"
            case .invalidJSON: "transform skipped: the body is not valid JSON"
            }
        }
    }

    static func hasBodySteps(_ steps: [RouteTransforms.Step]) -> Bool { steps.contains(where: \.touchesBody) }

    /// Whether a message with these `Content-Type` and `Content-Length` values can be
    /// transformed (its length may still be unknown).
    static func eligibility(contentType: String?, contentLength: String?, limit: Int, lengthRequired: Bool) -> Skip? {
        let type = HeaderElement.mediaType(contentType)
        guard type == "application/json" || type.hasSuffix("+json") else { return .notJSON(type) }
        if let length = contentLength.flatMap(Int.init) {
            return length > limit ? .tooLarge(limit: limit) : nil
        }
        return lengthRequired ? .unknownLength : nil
    }

    /// The transformed body, or why it could not be.
    static func apply(_ steps: [RouteTransforms.Step], to parts: [ByteBuffer], query: Substring) -> Result<ByteBuffer, Skip> {
        var whole = ByteBuffer()
        for var part in parts { whole.writeBuffer(&part) }
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(whole.readableBytesView)) else { return .failure(.invalidJSON) }
        let result = RouteTransforms.transformBody(body, steps: steps) { parameter in queryValue(parameter, in: query) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(result) else { return .failure(.invalidJSON) }
        return .success(ByteBuffer(bytes: data))
    }

    /// The decoded value of query parameter `name`.
    static func queryValue(_ name: String, in query: Substring) -> String? {
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == name else { continue }
            let raw = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ") : ""
            return raw.removingPercentEncoding ?? raw
        }
        return nil
    }

    /// Fields of a message whose body was replaced by `length` bytes of transformed JSON.
    static func markTransformed(_ headers: inout HTTPHeaders, length: Int) {
        headers.replaceOrAdd(name: "Content-Length", value: String(length))
        headers.remove(name: "transfer-encoding")
        for name in ["etag", "content-digest", "content-md5", "last-modified"] { headers.remove(name: name) }
    }
}
