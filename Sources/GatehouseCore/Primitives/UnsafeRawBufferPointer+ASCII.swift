/// Protocol text compared where it was received: a field name still in the read buffer is
/// compared with the names the gateway knows without first becoming a `String`.
extension UnsafeRawBufferPointer {
    /// Whether these bytes equal `other`'s UTF-8 ignoring ASCII case, as HTTP compares names.
    /// The lengths are compared where this is called (most names differ in length already),
    /// the bytes only when they agree.
    @inlinable @inline(__always)
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        count == other.utf8.count && equalsSameLengthIgnoringASCIICase(other)
    }

    /// Whether these bytes equal `other`'s UTF-8 ignoring ASCII case, `other` being as long.
    /// Native strings and their substrings are compared as bytes, eight at a time.
    @inlinable
    func equalsSameLengthIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        guard let base = baseAddress else { return true }
        if let equal = other.utf8.withContiguousStorageIfAvailable({ theirs in
            ASCIICaseFold.equal(base, UnsafeRawPointer(theirs.baseAddress!), count: count)
        }) {
            return equal
        }
        var offset = 0
        for byte in other.utf8 {
            guard asciiCaseFoldedEqual(self[offset], byte) else { return false }
            offset += 1
        }
        return true
    }

    /// Whether these bytes begin with `prefix`'s UTF-8, ignoring ASCII case.
    @inlinable
    public func hasPrefixIgnoringASCIICase(_ prefix: some StringProtocol) -> Bool {
        count >= prefix.utf8.count && UnsafeRawBufferPointer(rebasing: self[..<prefix.utf8.count]).equalsIgnoringASCIICase(prefix)
    }
}
