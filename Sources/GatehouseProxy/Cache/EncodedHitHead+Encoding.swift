import GatehouseCache
import NIOCore
import NIOHTTP1

extension EncodedHitHead {
    /// Encodes `head` — a hit's head built field by field, for a request with `requestID`, of an
    /// entry `age` seconds old and fresh for `freshness` more — as HTTP/1 with gaps where those
    /// values are: `X-Request-ID`, `Age`, and the `max-age` of the cache's own `Surrogate-Control`
    /// (`setsSurrogateControl`) and `Cache-Control` (`setsCacheControl`). Nil when a field a gap
    /// goes in is missing, repeated or not as the cache writes it: such a head is always built
    /// afresh.
    convenience init?(
        encoding head: HTTPResponseHead, requestID: String, age: Int, freshness: Int, setsSurrogateControl: Bool, setsCacheControl: Bool,
        circumstances: Circumstances, compressible: Bool
    ) {
        let ageText = String(age)
        let maxAge = "max-age=\(freshness)"
        var buffer = ByteBuffer()
        buffer.writeHTTP1StatusLine(version: head.version, status: head.status)
        var gaps: [(offset: Int, gap: Gap)] = []
        for (name, value) in head.headers {
            let gap: Gap
            let before: Substring  // the value's text before the gap
            if name.equalsIgnoringASCIICase("X-Request-ID") {
                guard value == requestID else { return nil }
                (gap, before) = (.requestID, "")
            } else if name.equalsIgnoringASCIICase("Age") {
                guard value == ageText else { return nil }
                (gap, before) = (.age, "")
            } else if (setsSurrogateControl && name.equalsIgnoringASCIICase("Surrogate-Control"))
                || (setsCacheControl && name.equalsIgnoringASCIICase("Cache-Control")) {
                guard value.hasSuffix(maxAge) else { return nil }
                (gap, before) = (.freshness, value.dropLast(maxAge.count - "max-age=".count))
            } else {
                buffer.writeHTTP1Field(name, value)
                continue
            }
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeSubstring(before)
            gaps.append((buffer.readableBytes, gap))
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        let expectedFreshness = (setsSurrogateControl ? 1 : 0) + (setsCacheControl ? 1 : 0)
        guard gaps.count(where: { $0.gap == .requestID }) == 1, gaps.count(where: { $0.gap == .age }) == 1,
              gaps.count(where: { $0.gap == .freshness }) == expectedFreshness else { return nil }
        self.init(bytes: Array(buffer.readableBytesView), gaps: gaps, circumstances: circumstances, compressible: compressible)
    }
}

extension EncodedHitHead.Circumstances {
    /// Whether a hit for `exchange` on the gateway named `gatewayName` is in these circumstances.
    func matches(_ gatewayName: String, _ exchange: Exchange) -> Bool {
        isTLS == exchange.isTLS && self.gatewayName == gatewayName && service == exchange.service
    }
}
