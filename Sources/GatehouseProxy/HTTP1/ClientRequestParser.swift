import GatehouseCore
import NIOCore
import NIOHTTP1

/// Reads a client's HTTP/1 requests from the bytes of its connection, one part at a time
/// (RFC 9112): the request line and fields checked as each line arrives (``HTTP1HeadScanner``),
/// so a bad byte is refused without waiting for the rest of the head; the body framed as
/// ``MessageFraming`` allows (an ambiguous one is refused, never guessed at) and read by
/// ``HTTP1BodyReader``. Empty lines before a request line are skipped (§2.2). After a request
/// asking to switch protocols, the bytes that follow wait — they may be the new protocol's —
/// until the answer is known (``upgradeRefused()``) or taken as they are.
struct ClientRequestParser {
    private enum State {
        /// Reading a head: its scanner, and whether its request line was checked already.
        case head(HTTP1HeadScanner, requestLineChecked: Bool)
        case body(HTTP1BodyReader, upgrading: Bool)
        /// An upgrade request ended: what follows waits for its answer.
        case awaitingUpgrade
    }

    /// The longest head accepted (request line and fields, with their line endings).
    let headLimit: Int
    private var state: State
    /// The last head's bytes and field positions: filled again by the next head once its
    /// request has let go of them (see ``HTTP1HeadScanner/reuse(_:)``).
    private var spareBytes: [UInt8] = []
    private var spareFields: [ReceivedFields.Line] = []
    /// The largest head (in bytes) whose storage is kept for the next.
    private static let largestSpare = 4096

    init(headLimit: Int) {
        self.headLimit = headLimit
        state = .head(HTTP1HeadScanner(limit: headLimit), requestLineChecked: false)
    }

    /// An upgrade request was read and its answer is not known yet: nothing more is parsed.
    var isAwaitingUpgrade: Bool {
        if case .awaitingUpgrade = state { true } else { false }
    }

    /// The upgrade was not granted: the connection goes on with HTTP/1.
    mutating func upgradeRefused() {
        if isAwaitingUpgrade { state = .head(HTTP1HeadScanner(limit: headLimit), requestLineChecked: false) }
    }

    /// The next part at the start of `buffer`, whose bytes it consumes; `nil` when more bytes
    /// are needed first (the rest stays in `buffer`), or while an upgrade is awaited.
    mutating func next(from buffer: inout ByteBuffer) throws(HTTP1ParseError) -> ClientRequestPart? {
        switch state {
        case .awaitingUpgrade:
            return nil
        case .head(var scanner, var requestLineChecked):
            // Held by the scanner alone while it scans, so that its storage grows in place (a
            // placeholder in which nothing is parsed, as after an error).
            state = .awaitingUpgrade
            // Adopted once the head's bytes begin to arrive: the parser is also asked with
            // nothing to read, while the request before still holds the storage.
            if buffer.readableBytes > 0 { scanner.reuse(&spareFields) }
            if scanner.startLine == nil { skipEmptyLines(&buffer) }
            guard let head = try readHead(from: &buffer, scanner: &scanner, requestLineChecked: &requestLineChecked) else {
                state = .head(scanner, requestLineChecked: requestLineChecked)
                return nil
            }
            return .head(head)
        case .body(var reader, let upgrading):
            let event = try reader.next(from: &buffer)
            switch event {
            case nil:
                state = .body(reader, upgrading: upgrading)
                return nil
            case .body(let bytes)?:
                state = .body(reader, upgrading: upgrading)
                return .body(bytes)
            case .end(let trailers)?:
                state = upgrading ? .awaitingUpgrade : .head(HTTP1HeadScanner(limit: headLimit), requestLineChecked: false)
                return .end(trailers)
            }
        }
    }

    /// Empty lines before a request line (CRLF or LF), consumed.
    private func skipEmptyLines(_ buffer: inout ByteBuffer) {
        while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) {
            if byte == 10 {
                buffer.moveReaderIndex(forwardBy: 1)
            } else if byte == 13, buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) == 10 {
                buffer.moveReaderIndex(forwardBy: 2)
            } else {
                return
            }
        }
    }

    /// A complete head at the start of `buffer` (consumed), with the state set for its body.
    /// The request line is checked as soon as it has arrived, before the fields. The head's
    /// bytes are copied out of the read buffer (which goes on being reused) and its fields stay
    /// in them.
    private mutating func readHead(
        from buffer: inout ByteBuffer, scanner: inout HTTP1HeadScanner, requestLineChecked: inout Bool
    ) throws(HTTP1ParseError) -> ClientRequestHead? {
        let scanned: Result<(ClientRequestHead, Int)?, HTTP1ParseError> = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(HTTP1ParseError) -> (ClientRequestHead, Int)? in
                guard let head = try scanner.scan(bytes) else {
                    if !requestLineChecked, let line = scanner.startLine {
                        _ = try Self.requestLine(UnsafeRawBufferPointer(rebasing: bytes[line]))
                        requestLineChecked = true
                    }
                    return nil
                }
                let line = UnsafeRawBufferPointer(rebasing: bytes[head.startLine])
                let parts = try Self.requestLine(line)
                let method = HTTPMethod(rawValue: String(decoding: UnsafeRawBufferPointer(rebasing: line[parts.method]), as: UTF8.self))
                let target = String(decoding: UnsafeRawBufferPointer(rebasing: line[parts.target]), as: UTF8.self)
                let version = HTTPVersion(major: 1, minor: parts.minorVersion)
                var headBytes = spareBytes
                spareBytes = []
                headBytes.removeAll(keepingCapacity: true)
                headBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<head.length]))
                let fields = ReceivedFields(bytes: headBytes, lines: head.fields)
                // Kept for the next head unless large (a rare head does not pin its size).
                if headBytes.capacity <= Self.largestSpare { (spareBytes, spareFields) = (headBytes, head.fields) }
                return (ClientRequestHead(method: method, uri: target, version: version, headers: fields), head.length)
            }
        }
        guard let (head, length) = try scanned.get() else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        state = .body(HTTP1BodyReader(try Self.framing(head.headers), trailerLimit: headLimit), upgrading: ProxyHandler.isUpgradeRequest(head))
        return head
    }

    /// The body's framing: none unless `Content-Length` or `Transfer-Encoding` say otherwise,
    /// and then only as ``MessageFraming`` allows.
    private static func framing(_ headers: ReceivedFields) throws(HTTP1ParseError) -> HTTP1BodyReader.Framing {
        guard MessageFraming.namesFraming(headers) else { return .none }
        do {
            if let length = try MessageFraming.check(headers) { return .length(length) }
            return headers.contains(name: "transfer-encoding") ? .chunked : .none
        } catch {
            throw .framing(error)
        }
    }

    /// `method SP request-target SP HTTP/1.x` (RFC 9112 §3): the method a token, the target
    /// visible ASCII. Returns where the method and the target lie.
    private static func requestLine(_ line: UnsafeRawBufferPointer) throws(HTTP1ParseError) -> (method: Range<Int>, target: Range<Int>, minorVersion: Int) {
        var methodEnd = 0
        while methodEnd < line.count, HTTP1HeadScanner.isTokenByte(line[methodEnd]) { methodEnd += 1 }
        guard methodEnd > 0, methodEnd < line.count, line[methodEnd] == 32 else { throw .invalidRequestLine }
        var targetEnd = methodEnd + 1
        while targetEnd < line.count, (33 ... 126).contains(line[targetEnd]) { targetEnd += 1 }
        let version = targetEnd + 1
        guard targetEnd > methodEnd + 1, line.count == version + 8, line[targetEnd] == 32,
              UnsafeRawBufferPointer(rebasing: line[version ..< version + 7]).elementsEqual("HTTP/1.".utf8),
              (48 ... 57).contains(line[version + 7]) else { throw .invalidRequestLine }
        return (0 ..< methodEnd, (methodEnd + 1) ..< targetEnd, Int(line[version + 7] - 48))
    }
}
