/// A `Content-Length` field's value read from its bytes (RFC 9110 §8.6): decimal digits, or a
/// list of one length repeated (`3, 3`), which is that length.
enum ContentLength {
    /// The length `value` states; `nil` when an item is empty or not digits, a length overflows,
    /// or the list names different lengths.
    static func parse(_ value: UnsafeRawBufferPointer) -> Int? {
        var length: Int?
        var item = 0, digits = 0, spaceAfterDigits = false
        // Ends the current item; false when it is not a length or not the one before it.
        func endItem() -> Bool {
            guard digits > 0, length == nil || length == item else { return false }
            length = item
            (item, digits, spaceAfterDigits) = (0, 0, false)
            return true
        }
        for byte in value {
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"):
                let (times10, overflowed) = item.multipliedReportingOverflow(by: 10)
                let (sum, overflowedAgain) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !spaceAfterDigits, !overflowed, !overflowedAgain else { return nil }
                item = sum
                digits += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if digits > 0 { spaceAfterDigits = true }
            case UInt8(ascii: ","):
                guard endItem() else { return nil }
            default:
                return nil
            }
        }
        return endItem() ? length : nil
    }
}
