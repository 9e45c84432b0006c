#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatehouseCore

/// Finds and checks an HTTP/1 message head in raw bytes (RFC 9112 §2–§5): its start line and
/// its field lines up to the empty line that ends it. Lines end in CRLF or, leniently, a bare LF
/// (§2.2); field names must be tokens directly followed by `:`, values may hold no control
/// character but tab, and folded lines (obs-fold) are refused — what a proxy must check before
/// it forwards a field.
///
/// Resumable: a head arriving in pieces is scanned once, each line when it is complete, from
/// where the last look stopped — a head trickling in byte by byte costs linear time, not a
/// rescan per read.
struct HTTP1HeadScanner {
    /// A complete head: where its start line lies, its fields in order, and its length in bytes
    /// (through the empty line). Offsets are from the head's first byte.
    struct Head {
        let startLine: Range<Int>
        let fields: [ReceivedFields.Line]
        let length: Int
    }

    /// The longest head accepted, in bytes.
    let limit: Int
    /// Where the start line lies, once it is complete.
    private(set) var startLine: Range<Int>?
    private var fields: [ReceivedFields.Line] = []
    /// Where the first line not scanned yet begins.
    private var lineStart = 0

    /// A scanner for one head; without `startLine` the bytes are a field section alone (a
    /// chunked body's trailers).
    init(limit: Int, startLine hasStartLine: Bool = true) {
        self.limit = limit
        startLine = hasStartLine ? nil : 0 ..< 0
    }

    /// Whether no line has been scanned yet.
    var isUnstarted: Bool { lineStart == 0 }

    /// Puts the field positions into the array in `spare`, taken out (leaving `spare` empty)
    /// and emptied, before any line is scanned: an array an earlier head's scan left, once
    /// nothing else holds it, is filled again without allocating.
    mutating func reuse(_ spare: inout [ReceivedFields.Line]) {
        guard isUnstarted, spare.capacity > fields.capacity else { return }
        fields = spare
        spare = []  // held once now, so emptied in place
        fields.removeAll(keepingCapacity: true)
    }

    /// Looks at `bytes` — the head's bytes from its first, as many as have arrived so far (what
    /// the last call saw, and more) — and returns the head once it is complete. Throws when the
    /// head is malformed or longer than ``limit``.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(HTTP1ParseError) -> Head? {
        guard let base = bytes.baseAddress else { return nil }
        while true {
            guard let found = memchr(base + lineStart, 10, bytes.count - lineStart) else {
                if bytes.count > limit { throw .headTooLarge(limit: limit) }
                return nil
            }
            let lineFeed = base.distance(to: UnsafeRawPointer(found))
            if lineFeed >= limit { throw .headTooLarge(limit: limit) }
            let lineEnd = lineFeed > lineStart && bytes[lineFeed - 1] == 13 ? lineFeed - 1 : lineFeed
            if let startLine {
                if lineEnd == lineStart { return Head(startLine: startLine, fields: fields, length: lineFeed + 1) }
                let field = try Self.field(UnsafeRawBufferPointer(rebasing: bytes[lineStart ..< lineEnd]))
                fields.append(ReceivedFields.Line(name: field.name.shifted(by: lineStart), value: field.value.shifted(by: lineStart)))
            } else {
                startLine = lineStart ..< lineEnd
                fields.reserveCapacity(16)
            }
            lineStart = lineFeed + 1
        }
    }

    /// One field line, `name ":" OWS value OWS`: where its name and value lie in `line`.
    static func field(_ line: UnsafeRawBufferPointer) throws(HTTP1ParseError) -> ReceivedFields.Line {
        guard let first = line.first, first != 32, first != 9 else {
            throw line.isEmpty ? .invalidFieldName : .obsoleteLineFolding
        }
        var colon = 0
        while colon < line.count, isTokenByte(line[colon]) { colon += 1 }
        guard colon > 0, colon < line.count, line[colon] == 58 else { throw .invalidFieldName }
        var start = colon + 1, end = line.count
        while start < end, line[start] == 32 || line[start] == 9 { start += 1 }
        while end > start, line[end - 1] == 32 || line[end - 1] == 9 { end -= 1 }
        for index in start ..< end where !isFieldValueByte(line[index]) {
            throw .invalidFieldValue(name: String(decoding: UnsafeRawBufferPointer(rebasing: line[0 ..< colon]), as: UTF8.self))
        }
        return ReceivedFields.Line(name: 0 ..< colon, value: start ..< end)
    }

    /// `tchar` (RFC 9110 §5.6.2): letters, digits and ``!#$%&'*+-.^_`|~``.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48 ... 57, 65 ... 90, 97 ... 122: true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
        default: false
        }
    }

    /// A byte a field value may hold: visible characters, space, tab and obs-text — no other
    /// control character (so no CR, LF or NUL).
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == 9 || (byte >= 32 && byte != 127)
    }
}

extension Range<Int> {
    /// The same range `offset` further on.
    fileprivate func shifted(by offset: Int) -> Range<Int> { lowerBound + offset ..< upperBound + offset }
}
