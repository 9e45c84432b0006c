import GatehouseCore
import NIOHTTP1

extension ReceivedFields {
    /// NIO's headers laid out as received fields (an HTTP/2 request's, an edited request's).
    init(_ headers: HTTPHeaders) {
        self.init(headers.map { ($0.name, $0.value) })
    }

    /// The fields as NIO's headers, for the steps that edit them.
    var httpHeaders: HTTPHeaders {
        HTTPHeaders(strings)
    }
}
