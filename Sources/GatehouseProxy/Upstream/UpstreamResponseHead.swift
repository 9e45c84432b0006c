import GatehouseCore
import NIOCore
import NIOHTTP1

/// An upstream's response head as it arrived: its status line parsed, its field lines left
/// where they are in the bytes read (checked by ``HTTP1HeadScanner``). A response the pipeline's
/// steps need not read is relayed from these bytes (``ClientResponseHead/write(from:hopByHop:for:gatewayName:draining:into:)``);
/// the steps that read or change fields get NIO's head (``nioHead``), built only for them.
struct UpstreamResponseHead {
    let version: HTTPVersion
    /// The status code, 100–999.
    let statusCode: Int
    /// The head's bytes, from its status line through the empty line that ends it: a slice of
    /// the connection's read buffer, so only held while the head is acted on.
    let bytes: ByteBuffer
    /// Where the reason phrase lies in ``bytes``.
    let reason: Range<Int>
    /// Where each field line's name and value lie in ``bytes``, in order.
    let fields: [ReceivedFields.Line]
    /// The body's length when `Content-Length` frames it (set by the parser; `nil` for a
    /// response without a body, chunked or delimited by the close).
    var contentLength: Int?

    /// The status as NIO names it: a known code by its standard reason phrase (as NIO's own
    /// decoder gave it), another with the upstream's.
    var status: HTTPResponseStatus {
        let known = HTTPResponseStatus(statusCode: statusCode)
        guard case .custom = known else { return known }
        return bytes.withUnsafeReadableBytes { .custom(code: UInt(statusCode), reasonPhrase: FieldBytes(bytes: UnsafeRawBufferPointer(rebasing: $0[reason])).string) }
    }

    /// Calls `body` with each field's name and value, read in place (valid during the call only).
    func forEachField(_ body: (FieldBytes, FieldBytes) -> Void) {
        bytes.withUnsafeReadableBytes { head in
            for field in fields {
                body(FieldBytes(bytes: UnsafeRawBufferPointer(rebasing: head[field.name])), FieldBytes(bytes: UnsafeRawBufferPointer(rebasing: head[field.value])))
            }
        }
    }

    /// Writes the fields `keeps` accepts (asked of each field in order) as HTTP/1 field lines
    /// (``FieldLineRuns``).
    func writeFields(into buffer: inout ByteBuffer, keeping keeps: (FieldBytes, FieldBytes) -> Bool) {
        bytes.withUnsafeReadableBytes { FieldLineRuns.write(fields, of: $0, into: &buffer, keeping: keeps) }
    }

    /// The value of the first field named `name` (any case).
    func first(name: String) -> String? {
        var found: String?
        forEachField { fieldName, value in
            if found == nil, fieldName.isNamed(name) { found = value.string }
        }
        return found
    }

    /// Every field as NIO's headers: names and values become strings.
    var headers: HTTPHeaders {
        HTTPHeaders(bytes.withUnsafeReadableBytes { fields.strings(in: $0) })
    }

    /// The head as NIO's type, for the steps that read or change its fields.
    var nioHead: HTTPResponseHead { HTTPResponseHead(version: version, status: status, headers: headers) }
}
