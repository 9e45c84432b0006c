/// Why bytes that should be an HTTP/1 message cannot be read as one. A proxy forwards nothing
/// it could not frame exactly (RFC 9112 §11.2, response splitting and smuggling), so each of
/// these ends the connection.
enum HTTP1ParseError: Error, Equatable, CustomStringConvertible {
    case headTooLarge(limit: Int)
    case invalidStatusLine
    case invalidRequestLine
    /// A request's framing is ambiguous (see ``MessageFraming``).
    case framing(MessageFraming.Violation)
    case obsoleteLineFolding
    case invalidFieldName
    case invalidFieldValue(name: String)
    case contentLengthWithTransferEncoding
    case invalidContentLength
    case invalidChunkSize
    case missingChunkTerminator
    /// Bytes arrived while no request was waiting for an answer.
    case unsolicitedBytes
    /// A client sent more than this many bytes after asking to switch protocols, before the
    /// answer (a WebSocket client must wait for the 101 before sending frames).
    case tooMuchBeforeUpgrade(limit: Int)

    var description: String {
        switch self {
        case .headTooLarge(let limit): "the message head exceeds \(limit) bytes"
        case .invalidStatusLine: "the status line is not 'HTTP/x.y NNN reason'"
        case .invalidRequestLine: "the request line is not 'METHOD target HTTP/1.x'"
        case .framing(let violation): violation.description
        case .obsoleteLineFolding: "a header field is folded over several lines (obs-fold)"
        case .invalidFieldName: "a header field name is not a token followed by ':'"
        case .invalidFieldValue(let name): "header \(name) contains a control character"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding are present"
        case .invalidContentLength: "Content-Length is not one non-negative integer"
        case .invalidChunkSize: "a chunk size line is not hexadecimal digits with optional extensions"
        case .missingChunkTerminator: "chunk data is not followed by a line ending"
        case .unsolicitedBytes: "bytes arrived while no request was waiting for a response"
        case .tooMuchBeforeUpgrade(let limit): "more than \(limit) bytes arrived before the protocol switch was answered"
        }
    }
}
