import GatehouseCore
import NIOHTTP1

extension HTTPHeaders {
    /// Whether the connection stays open after a message with these fields in `version` (RFC
    /// 9112 §9.3): in HTTP/1.1 unless a `Connection` field says `close`, in HTTP/1.0 only when
    /// one says `keep-alive`. What NIO's `isKeepAlive` answers, in one pass over the fields
    /// that allocates nothing.
    func keepsConnectionOpen(in version: HTTPVersion) -> Bool {
        var close = false, keepAlive = false
        for (name, value) in self where name.utf8.count == 10 && name.equalsIgnoringASCIICase("connection") {
            value.forEachPiece(separatedByASCII: UInt8(ascii: ","), omittingEmpty: true) { token in
                let option = token.trimmingSpaces()
                if option.equalsIgnoringASCIICase("close") {
                    close = true
                } else if option.equalsIgnoringASCIICase("keep-alive") {
                    keepAlive = true
                }
            }
        }
        if close { return false }
        return version.isAtLeastHTTP11 || keepAlive
    }
}
