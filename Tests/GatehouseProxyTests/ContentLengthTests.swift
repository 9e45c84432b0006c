import Testing

@testable import GatehouseProxy

@Suite("Content-Length values")
struct ContentLengthTests {
    @Test("digits, a repeated list and surrounding spaces are lengths", arguments: [
        ("0", 0), ("42", 42), (" 7 ", 7), ("3, 3", 3), ("3,3,\t3", 3), ("9223372036854775807", Int.max),
    ])
    func lengths(text: String, length: Int) {
        #expect(Self.parse(text) == length)
    }

    @Test("anything else is not", arguments: ["", " ", "-1", "+1", "1 2", "3, 4", "3,", ",3", "0x10", "9223372036854775808", "1e3"])
    func refused(text: String) {
        #expect(Self.parse(text) == nil)
    }

    static func parse(_ text: String) -> Int? {
        Array(text.utf8).withUnsafeBytes { ContentLength.parse($0) }
    }
}
