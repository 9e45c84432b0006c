import NIOCore
import NIOHTTP1

/// Reads one HTTP/1 message body as its framing says (RFC 9112 §6–§7): a fixed length, chunked
/// coding (extensions skipped, trailers read), or everything until the connection closes. Parts
/// are slices of the bytes read, never copies.
struct HTTP1BodyReader {
    /// How the body is delimited.
    enum Framing {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    /// What the reader found next.
    enum Event {
        case body(ByteBuffer)
        /// The body ended, with the chunked coding's trailer fields if there were any.
        case end(HTTPHeaders?)
    }

    /// The longest chunk-size line accepted (extensions included).
    private static let chunkLineLimit = 4096

    private enum State {
        /// The end comes next.
        case ended
        /// The end was read.
        case done
        case fixed(remaining: Int)
        /// Awaiting a chunk-size line, of which `scanned` bytes arrived without its end.
        case chunkSize(scanned: Int)
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(HTTP1HeadScanner)
        case untilClose
    }

    private var state: State
    /// The longest trailer section accepted.
    private let trailerLimit: Int

    init(_ framing: Framing, trailerLimit: Int) {
        self.trailerLimit = trailerLimit
        switch framing {
        case .none, .length(0): state = .ended
        case .length(let length): state = .fixed(remaining: length)
        case .chunked: state = .chunkSize(scanned: 0)
        case .untilClose: state = .untilClose
        }
    }

    /// The body's end, without trailers, is the next event: no more bytes are needed for it.
    var endsNext: Bool {
        if case .ended = state { true } else { false }
    }

    /// The next event at the start of `buffer`, whose bytes it consumes; `nil` when more bytes
    /// are needed first. After `.end`, nothing more is read.
    mutating func next(from buffer: inout ByteBuffer) throws(HTTP1ParseError) -> Event? {
        while true {
            switch state {
            case .ended:
                state = .done
                return .end(nil)
            case .done:
                return nil
            case .fixed(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let length = min(remaining, buffer.readableBytes)
                state = length == remaining ? .ended : .fixed(remaining: remaining - length)
                return .body(buffer.readSlice(length: length)!)
            case .untilClose:
                guard buffer.readableBytes > 0 else { return nil }
                return .body(buffer.readSlice(length: buffer.readableBytes)!)
            case .chunkSize(let scanned):
                guard let size = try readChunkSize(from: &buffer, scanned: scanned) else {
                    state = .chunkSize(scanned: buffer.readableBytes)
                    return nil
                }
                state = size == 0 ? .trailers(HTTP1HeadScanner(limit: trailerLimit, startLine: false)) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let length = min(remaining, buffer.readableBytes)
                state = length == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - length)
                return .body(buffer.readSlice(length: length)!)
            case .chunkDataEnd:
                guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
                if first == 10 {
                    buffer.moveReaderIndex(forwardBy: 1)
                } else {
                    guard let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return nil }
                    guard first == 13, second == 10 else { throw .missingChunkTerminator }
                    buffer.moveReaderIndex(forwardBy: 2)
                }
                state = .chunkSize(scanned: 0)
            case .trailers(var scanner):
                guard let trailers = try readTrailers(from: &buffer, scanner: &scanner) else {
                    state = .trailers(scanner)
                    return nil
                }
                state = .done
                return .end(trailers.isEmpty ? nil : HTTPHeaders(trailers))
            }
        }
    }

    /// The connection's input ended: the end of a body that the close delimits, else `nil`
    /// (a body cut short is the connection's failure, not an end).
    mutating func inputEnded() -> Event? {
        guard case .untilClose = state else { return nil }
        state = .done
        return .end(nil)
    }

    /// A chunk-size line (`1*HEXDIG [BWS ; extensions] CRLF`), consumed; `nil` until it is
    /// complete. The first `scanned` bytes were looked at before and hold no line feed.
    private func readChunkSize(from buffer: inout ByteBuffer, scanned: Int) throws(HTTP1ParseError) -> Int? {
        let view = buffer.readableBytesView
        guard let lineFeed = view[(view.startIndex + scanned)...].firstIndex(of: 10) else {
            if view.count > Self.chunkLineLimit { throw .invalidChunkSize }
            return nil
        }
        var size = 0, digits = 0, index = view.startIndex
        while index < lineFeed, let value = Self.hexValue(view[index]) {
            guard digits < 15 else { throw .invalidChunkSize }
            size = size << 4 | value
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw .invalidChunkSize }
        var end = lineFeed
        if end > index, view[end - 1] == 13 { end -= 1 }
        // What follows the digits: nothing, or extensions (skipped, but no control characters).
        while index < end, view[index] == 32 || view[index] == 9 { index += 1 }
        if index < end {
            guard view[index] == 59, view[index ..< end].allSatisfy(HTTP1HeadScanner.isFieldValueByte) else { throw .invalidChunkSize }
        }
        buffer.moveReaderIndex(to: lineFeed + 1)
        return size
    }

    /// The trailer section after the last chunk (consumed): its fields, empty when there are
    /// none; `nil` until it is complete.
    private func readTrailers(from buffer: inout ByteBuffer, scanner: inout HTTP1HeadScanner) throws(HTTP1ParseError) -> [(String, String)]? {
        let scanned: Result<([(String, String)], Int)?, HTTP1ParseError> = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(HTTP1ParseError) -> ([(String, String)], Int)? in
                try scanner.scan(bytes).map { ($0.fields.strings(in: bytes), $0.length) }
            }
        }
        guard let (fields, length) = try scanned.get() else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        return fields
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48 ... 57: Int(byte - 48)
        case 65 ... 70: Int(byte - 55)
        case 97 ... 102: Int(byte - 87)
        default: nil
        }
    }
}
