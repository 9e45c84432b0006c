import GatehouseCore
import NIOCore
import NIOHTTP1

/// Reads an upstream's HTTP/1 responses from the bytes of its connection, one part at a time
/// (RFC 9112 §6.3): heads checked by ``HTTP1HeadScanner``; bodies (``HTTP1BodyReader``) framed
/// by `Content-Length`, chunked coding or the connection's close; no body for `HEAD`, 204 and
/// 304; interim 1xx responses dropped; after a 101 the rest of the bytes belong to the upgraded
/// protocol. A response whose framing is ambiguous (`Content-Length` with `Transfer-Encoding`,
/// differing lengths) is refused, not guessed at.
///
/// The caller asks for one part at a time and acts on it before asking again, so whatever the
/// part sets off — the connection going back to the pool and a new request on it — happens
/// outside the parser.
struct UpstreamResponseParser {
    /// The longest head (and trailer section) accepted.
    static let headLimit = 64 * 1024

    private enum State {
        /// No request waits for an answer.
        case idle
        case head(HTTP1HeadScanner)
        case body(HTTP1BodyReader, thenUpgraded: Bool)
        case upgraded
    }

    private var state = State.idle
    private var answeringHEAD = false
    /// The field positions of the last head read: scanned into again by the next one, once the
    /// proxy has let go of that head (see ``HTTP1HeadScanner/reuse(_:)``).
    private var spareFields: [ReceivedFields.Line] = []

    /// A 101 switched the connection to another protocol: what follows is not HTTP/1.
    var isUpgraded: Bool {
        if case .upgraded = state { true } else { false }
    }

    /// A request went out: the next bytes are its response. (`HEAD` responses have no body.)
    mutating func expectResponse(toHEAD: Bool) {
        state = .head(HTTP1HeadScanner(limit: Self.headLimit))
        answeringHEAD = toHEAD
    }

    /// The next part at the start of `buffer`, whose bytes it consumes; `nil` when more bytes
    /// are needed first (the rest stays in `buffer`), and once the connection is upgraded.
    mutating func next(from buffer: inout ByteBuffer) throws(HTTP1ParseError) -> UpstreamResponsePart? {
        while true {
            switch state {
            case .idle:
                if buffer.readableBytes > 0 { throw .unsolicitedBytes }
                return nil
            case .upgraded:
                return nil
            case .head(var scanner):
                // Held by the scanner alone while it scans, so that its storage grows in place
                // (a placeholder, left after an error: the connection is closed then).
                state = .idle
                if buffer.readableBytes > 0 { scanner.reuse(&spareFields) }
                guard let head = try readHead(from: &buffer, scanner: &scanner) else {
                    state = .head(scanner)
                    return nil
                }
                if head.statusCode / 100 == 1, head.statusCode != 101 { continue }  // interim: not relayed
                return .head(head)
            case .body(var reader, let upgrades):
                let event = try reader.next(from: &buffer)
                switch event {
                case nil:
                    state = .body(reader, thenUpgraded: upgrades)
                    return nil
                case .body(let bytes)? where reader.endsNext:
                    state = upgrades ? .upgraded : .idle
                    return .lastBody(bytes)
                case .body(let bytes)?:
                    state = .body(reader, thenUpgraded: upgrades)
                    return .body(bytes)
                case .end(let trailers)?:
                    state = upgrades ? .upgraded : .idle
                    return .end(trailers)
                }
            }
        }
    }

    /// The connection's input ended: the end of a body that the close delimits, else `nil`
    /// (a response cut short is the connection's failure, not an end).
    mutating func inputEnded() -> UpstreamResponsePart? {
        guard case .body(var reader, _) = state, case .end(let trailers)? = reader.inputEnded() else { return nil }
        state = .idle
        return .end(trailers)
    }

    /// A complete head at the start of `buffer` (consumed), with the state set for its body.
    private mutating func readHead(from buffer: inout ByteBuffer, scanner: inout HTTP1HeadScanner) throws(HTTP1ParseError) -> UpstreamResponseHead? {
        let scanned: Result<(HTTP1HeadScanner.Head, StatusLine)?, HTTP1ParseError> = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(HTTP1ParseError) -> (HTTP1HeadScanner.Head, StatusLine)? in
                guard let head = try scanner.scan(bytes) else { return nil }
                return (head, try StatusLine(UnsafeRawBufferPointer(rebasing: bytes[head.startLine]), at: head.startLine.lowerBound))
            }
        }
        guard let (scannedHead, line) = try scanned.get(), let bytes = buffer.readSlice(length: scannedHead.length) else { return nil }
        var head = UpstreamResponseHead(version: line.version, statusCode: line.code, bytes: bytes, reason: line.reason, fields: scannedHead.fields)
        if scannedHead.fields.count <= 64 { spareFields = scannedHead.fields }  // a rare long head does not pin its size
        let code = head.statusCode
        if code / 100 == 1 {
            state = code == 101
                ? .body(HTTP1BodyReader(.none, trailerLimit: 0), thenUpgraded: true)
                : .head(HTTP1HeadScanner(limit: Self.headLimit))
        } else if answeringHEAD || code == 204 || code == 304 {
            state = .body(HTTP1BodyReader(.none, trailerLimit: 0), thenUpgraded: false)
        } else {
            let framing = try Self.framing(head)
            if case .length(let length) = framing { head.contentLength = length }
            state = .body(HTTP1BodyReader(framing, trailerLimit: Self.headLimit), thenUpgraded: false)
        }
        return head
    }

    /// How the body of a response that may have one is delimited (RFC 9112 §6.3, items 4–8).
    private static func framing(_ head: UpstreamResponseHead) throws(HTTP1ParseError) -> HTTP1BodyReader.Framing {
        var length: Int?, invalidLength = false
        var lastCoding: Substring?  // the final transfer coding, once any is named
        head.forEachField { name, value in
            if name.isNamed("transfer-encoding") {
                value.string.forEachPiece(separatedByASCII: UInt8(ascii: ","), omittingEmpty: true) { lastCoding = $0.trimmingSpaces() }
            } else if name.isNamed("content-length") {
                switch ContentLength.parse(value.bytes) {
                case let parsed? where length == nil || length == parsed: length = parsed
                default: invalidLength = true
                }
            }
        }
        if invalidLength { throw .invalidContentLength }
        if let lastCoding {
            guard length == nil else { throw .contentLengthWithTransferEncoding }
            return lastCoding.equalsIgnoringASCIICase("chunked") ? .chunked : .untilClose
        }
        return length.map { .length($0) } ?? .untilClose
    }

    /// `HTTP/x.y SP 3DIGIT [SP reason-phrase]`.
    private struct StatusLine {
        let version: HTTPVersion
        let code: Int
        /// Where the reason phrase lies in the head's bytes.
        let reason: Range<Int>

        /// The status line `line`, which begins at `offset` in its head.
        init(_ line: UnsafeRawBufferPointer, at offset: Int) throws(HTTP1ParseError) {
            func digit(_ index: Int) -> Int? {
                index < line.count && (48 ... 57).contains(line[index]) ? Int(line[index] - 48) : nil
            }
            guard line.count >= 12, line.starts(with: "HTTP/".utf8), let major = digit(5), line[6] == 46, let minor = digit(7),
                  line[8] == 32, let hundreds = digit(9), let tens = digit(10), let ones = digit(11), hundreds >= 1,
                  line.count == 12 || line[12] == 32 else { throw .invalidStatusLine }
            let reason = line.count > 13 ? 13 ..< line.count : line.count ..< line.count
            guard line[reason].allSatisfy(HTTP1HeadScanner.isFieldValueByte) else { throw .invalidStatusLine }
            version = HTTPVersion(major: major, minor: minor)
            code = hundreds * 100 + tens * 10 + ones
            self.reason = reason.lowerBound + offset ..< reason.upperBound + offset
        }
    }
}
