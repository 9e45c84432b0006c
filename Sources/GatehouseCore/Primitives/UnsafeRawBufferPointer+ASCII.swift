/// Protocol text compared where it was received: a field name still in the read buffer is
/// compared with the names the gateway knows without first becoming a `String`.
extension UnsafeRawBufferPointer {
    /// Whether these bytes equal `other`'s UTF-8 ignoring ASCII case, as HTTP compares names.
    @inlinable
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        guard count == other.utf8.count else { return false }
        // A native string's bytes are compared as a buffer (no view iterator).
        if let equal = other.utf8.withContiguousStorageIfAvailable({ theirs in indices.allSatisfy { asciiCaseFoldedEqual(self[$0], theirs[$0]) } }) {
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
