import GatehouseCore
import NIOHTTP1

/// The response codings the gateway applies, and which one a request's `Accept-Encoding`
/// prefers (RFC 9110 §12.5.3: q-values, `q=0` refuses, `*` stands for any coding not listed;
/// gzip wins ties).
enum ContentCoding: String {
    case gzip, deflate

    static func preferred(by headers: ReceivedFields) -> ContentCoding? {
        var weights: [String: Double] = [:]
        for item in headers[canonicalForm: "accept-encoding"] {
            let element = HeaderElement(item)
            weights[element.value == "x-gzip" ? "gzip" : element.value] = element.weight
        }
        let wildcard = weights["*"]
        let candidates = [ContentCoding.gzip, .deflate].compactMap { coding -> (ContentCoding, Double)? in
            guard let weight = weights[coding.rawValue] ?? wildcard, weight > 0 else { return nil }
            return (coding, weight)
        }
        return candidates.max { $0.1 < $1.1 || ($0.1 == $1.1 && $1.0 == .gzip) }?.0
    }
}
