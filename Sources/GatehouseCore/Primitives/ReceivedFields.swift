/// A message's header fields as they were received: the head's bytes and where each field line's
/// name and value lie in them, in order. Names and values become strings only when a step asks
/// for one; the lookups compare names where they lie (one of another length is passed over
/// without reading its bytes). The answers are those of NIO's `HTTPHeaders` for the same fields, so a
/// step reads either the same way.
public struct ReceivedFields: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// Where one field line's name and value lie in the bytes (the value without the optional
    /// whitespace around it).
    public struct Line: Sendable, Equatable {
        public let name: Range<Int>
        public let value: Range<Int>

        public init(name: Range<Int>, value: Range<Int>) {
            self.name = name
            self.value = value
        }
    }

    /// The bytes the lines point into (a whole head may be kept: its start line is skipped).
    public let bytes: [UInt8]
    /// The field lines, in the order received.
    public let lines: [Line]
    /// The names' lengths: a lookup for a name of another length reads no line.
    private let nameLengths: NameLengths

    /// Fields found in `bytes` (checked by their parser).
    public init(bytes: [UInt8], lines: [Line]) {
        self.bytes = bytes
        self.lines = lines
        var nameLengths = NameLengths()
        for line in lines { nameLengths.insert(length: line.name.count) }
        self.nameLengths = nameLengths
    }

    /// Fields given as names and values (an HTTP/2 request's, a test's), laid out as field lines.
    public init(_ fields: some Sequence<(String, String)>) {
        var bytes: [UInt8] = []
        var lines: [Line] = []
        for (name, value) in fields {
            let nameStart = bytes.count
            bytes.append(contentsOf: name.utf8)
            let valueStart = bytes.count + 2
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: value.utf8)
            lines.append(Line(name: nameStart ..< valueStart - 2, value: valueStart ..< bytes.count))
            bytes.append(contentsOf: "\r\n".utf8)
        }
        self.init(bytes: bytes, lines: lines)
    }

    /// Fields given as a literal, in order (a test's).
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// These fields without those named `names` (lowercase); the bytes are shared.
    public func removing(_ names: [String]) -> ReceivedFields {
        bytes.withUnsafeBytes { head in
            ReceivedFields(bytes: bytes, lines: lines.filter { line in
                let name = UnsafeRawBufferPointer(rebasing: head[line.name])
                return !names.contains { name.equalsIgnoringASCIICase($0) }
            })
        }
    }

    /// How many field lines there are.
    public var count: Int { lines.count }

    /// The fields' size as NIO counts a head's: each name and value, and four bytes for the
    /// separator and line end.
    public var byteCount: Int { lines.reduce(0) { $0 + $1.name.count + $1.value.count + 4 } }

    /// Calls `body` with each field's name and value bytes, in order (valid during the call only).
    public func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { head in
            for line in lines {
                body(UnsafeRawBufferPointer(rebasing: head[line.name]), UnsafeRawBufferPointer(rebasing: head[line.value]))
            }
        }
    }

    /// Each field's name and value as strings, in order.
    public var strings: [(String, String)] {
        bytes.withUnsafeBytes { lines.strings(in: $0) }
    }

    /// Whether a field is named `name` (any case).
    public func contains(name: String) -> Bool {
        firstLine(named: name) != nil
    }

    /// The value of the first field named `name` (any case).
    public func first(name: String) -> String? {
        firstLine(named: name).map(value(of:))
    }

    /// `body` over the bytes of the first field named `name` (any case), where they are (valid
    /// during the call only); `nil` without calling it when there is none.
    public func withFirstValue<Result>(name: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        guard let line = firstLine(named: name) else { return nil }
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[line.value])) }
    }

    /// The values of every field named `name` (any case), in order.
    public subscript(name: String) -> [String] {
        guard nameLengths.mayContain(length: name.utf8.count) else { return [] }
        var values: [String] = []
        bytes.withUnsafeBytes { head in
            for line in lines where UnsafeRawBufferPointer(rebasing: head[line.name]).equalsIgnoringASCIICase(name) {
                values.append(String(decoding: UnsafeRawBufferPointer(rebasing: head[line.value]), as: UTF8.self))
            }
        }
        return values
    }

    /// The comma-separated elements of every field named `name` (any case), each trimmed of spaces
    /// and tabs (nothing between two adjacent commas) — `Set-Cookie` values whole, since they hold
    /// commas.
    public subscript(canonicalForm name: String) -> [Substring] {
        let values = self[name]
        guard !values.isEmpty else { return [] }
        guard !name.equalsIgnoringASCIICase("set-cookie") else { return values.map { $0[...] } }
        return values.flatMap { value in value.split(separator: ",").map { $0.trimmingSpaces() } }
    }

    /// The same fields, names and values in the same order (wherever their bytes lie).
    public static func == (lhs: ReceivedFields, rhs: ReceivedFields) -> Bool {
        lhs.strings.elementsEqual(rhs.strings) { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    private func firstLine(named name: String) -> Line? {
        guard nameLengths.mayContain(length: name.utf8.count) else { return nil }
        return bytes.withUnsafeBytes { head in lines.first { UnsafeRawBufferPointer(rebasing: head[$0.name]).equalsIgnoringASCIICase(name) } }
    }

    private func value(of line: Line) -> String {
        bytes.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[line.value]), as: UTF8.self) }
    }
}

extension [ReceivedFields.Line] {
    /// The fields as name and value strings, read from `bytes` (their head's).
    public func strings(in bytes: UnsafeRawBufferPointer) -> [(String, String)] {
        map { line in
            (String(decoding: UnsafeRawBufferPointer(rebasing: bytes[line.name]), as: UTF8.self),
             String(decoding: UnsafeRawBufferPointer(rebasing: bytes[line.value]), as: UTF8.self))
        }
    }
}
