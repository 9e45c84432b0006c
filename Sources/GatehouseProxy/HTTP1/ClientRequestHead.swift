import GatehouseCore
import NIOCore
import NIOHTTP1

/// A client's request head as the proxy's steps read it: method, target and version as NIO names
/// them, and the fields as received (``ReceivedFields``) — an HTTP/1 head's stay in its bytes, so
/// no field becomes a string unless a step asks for it.
struct ClientRequestHead: Equatable {
    let method: HTTPMethod
    /// The request target as sent.
    let uri: String
    let version: HTTPVersion
    let headers: ReceivedFields
}

extension ClientRequestHead {
    /// NIO's head (an HTTP/2 stream's, a test's), its fields laid out as received ones.
    init(_ head: HTTPRequestHead) {
        self.init(method: head.method, uri: head.uri, version: head.version, headers: ReceivedFields(head.headers))
    }

    /// The head as NIO's type, for a handler other than the proxy's.
    var nioHead: HTTPRequestHead {
        HTTPRequestHead(version: version, method: method, uri: uri, headers: headers.httpHeaders)
    }
}

/// A part of a client's request as the proxy handles it.
typealias ClientRequestPart = HTTPPart<ClientRequestHead, ByteBuffer>

extension ClientRequestPart {
    /// NIO's part (an HTTP/2 stream's).
    init(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head): self = .head(ClientRequestHead(head))
        case .body(let body): self = .body(body)
        case .end(let trailers): self = .end(trailers)
        }
    }

    /// The request's method, when this is its head (read without copying the head out).
    var headMethod: HTTPMethod? {
        guard case .head(let head) = self else { return nil }
        return head.method
    }

    /// The part as NIO's type.
    var nioPart: HTTPServerRequestPart {
        switch self {
        case .head(let head): .head(head.nioHead)
        case .body(let body): .body(body)
        case .end(let trailers): .end(trailers)
        }
    }
}
