extension Substring {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace, RFC 9110 §5.6.3).
    public func trimmingSpaces() -> Substring {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = utf8.startIndex, end = utf8.endIndex
        while start != end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while start != end, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return self[start ..< end]
    }
}
