#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level operations for protocol text (field names, tokens, paths), which is ASCII: they
/// never split or compare by `Character`, so no grapheme breaking runs and nothing is allocated
/// beyond the result. Inlinable, so callers get them specialized for their string types (a
/// generic call per byte would cost more than what it saves).
extension StringProtocol {
    /// Whether the text equals `other` ignoring ASCII case, as HTTP compares names and tokens.
    /// Native strings and their substrings are compared as two byte buffers, eight bytes at a
    /// time (no view iterators).
    @inlinable
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        if let equal = withBothUTF8Buffers(other, { mine, theirs in
            mine.isEmpty || ASCIICaseFold.equal(UnsafeRawPointer(mine.baseAddress!), UnsafeRawPointer(theirs.baseAddress!), count: mine.count)
        }) {
            return equal
        }
        return zip(utf8, other.utf8).allSatisfy { asciiCaseFoldedEqual($0, $1) }
    }

    /// `body` over this text's and `other`'s UTF-8 bytes when both are stored contiguously
    /// (native strings and their substrings); `nil` when either is not.
    @inlinable
    func withBothUTF8Buffers(_ other: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        let result = utf8.withContiguousStorageIfAvailable { mine in other.utf8.withContiguousStorageIfAvailable { theirs in body(mine, theirs) } }
        return result ?? nil
    }

    /// Calls `body` with the text's UTF-8 bytes: a native string's or substring's where they are
    /// stored, any other's copied first.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        utf8.withContiguousStorageIfAvailable(body) ?? Array(utf8).withUnsafeBufferPointer(body)
    }

    /// Whether the text holds any of the ASCII bytes `first` or `second`. Native strings and
    /// substrings are searched as a byte buffer.
    @inlinable
    public func containsASCII(_ first: UInt8, or second: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains { $0 == first || $0 == second } }
            ?? utf8.contains { $0 == first || $0 == second }
    }

    /// Calls `body` with each piece between occurrences of the ASCII `separator` (optionally
    /// without empty ones), in order, collecting nothing. Native strings and substrings are
    /// searched as a byte buffer, their pieces cut at offsets (constant time for UTF-8 storage);
    /// others step through their UTF-8 view.
    @inlinable
    public func forEachPiece(separatedByASCII separator: UInt8, omittingEmpty: Bool, _ body: (SubSequence) -> Void) {
        let searched: Void? = utf8.withContiguousStorageIfAvailable { bytes in
            func piece(_ from: Int, _ to: Int) -> SubSequence {
                self[utf8.index(utf8.startIndex, offsetBy: from) ..< utf8.index(utf8.startIndex, offsetBy: to)]
            }
            var start = 0
            for offset in bytes.indices where bytes[offset] == separator {
                if !omittingEmpty || start != offset { body(piece(start, offset)) }
                start = offset + 1
            }
            if !omittingEmpty || start != bytes.count { body(piece(start, bytes.count)) }
        }
        if searched != nil { return }
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == separator {
                if !omittingEmpty || start != index { body(self[start ..< index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if !omittingEmpty || start != utf8.endIndex { body(self[start ..< utf8.endIndex]) }
    }
}

/// Whether two bytes are equal ignoring ASCII case.
@inlinable
func asciiCaseFoldedEqual(_ mine: UInt8, _ theirs: UInt8) -> Bool {
    mine == theirs || (mine ^ 0x20 == theirs && (mine | 0x20) >= UInt8(ascii: "a") && (mine | 0x20) <= UInt8(ascii: "z"))
}
