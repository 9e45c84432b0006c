@testable import GatehouseCore
import Testing

@Suite("ASCII case folding")
struct ASCIICaseFoldTests {
    @Test("a word's bytes are lowered exactly as one byte at a time would be, at every position")
    func everyByteEveryPosition() {
        for byte in 0 ... 255 {
            let expected = UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            for position in 0 ..< 8 {
                let shift = UInt64(position * 8)
                let word = (UInt64(byte) << shift) | (0x5A41_7E5E_FF80_40C1 & ~(0xFF << shift))
                let neighbours = ASCIICaseFold.lowered(0x5A41_7E5E_FF80_40C1 & ~(0xFF << shift))
                #expect(ASCIICaseFold.lowered(word) == (expected << shift) | neighbours)
            }
        }
    }

    @Test("names compare equal ignoring ASCII case only; punctuation and non-ASCII bytes compare exactly")
    func comparisons() {
        let equal: [(String, String)] = [
            ("content-length", "Content-Length"), ("X-REQUEST-ID", "x-request-id"), ("", ""), ("a", "A"),
            ("Access-Control-Allow-Origin", "access-control-allow-origin"), ("ÉTAG", "ÉTAG"),
        ]
        let different: [(String, String)] = [
            ("content-length", "content_length"), ("^~^~^~^~", "~^~^~^~^"), ("@[\\]", "`{|}"), ("x-request-iD", "x-request-ie"),
            ("ÉTAG", "éTAG"), ("Transfer-Encoding", "transfer-encodinh"),
        ]
        for (left, right) in equal {
            #expect(left.equalsIgnoringASCIICase(right), "\(left) = \(right)")
            #expect(left.utf8.count == right.utf8.count)
            #expect(Array(left.utf8).withUnsafeBytes { $0.equalsIgnoringASCIICase(right) })
            #expect(Array(left.utf8).withUnsafeBytes { $0.equalsIgnoringASCIICase(right.dropFirst(0)) })
        }
        for (left, right) in different {
            #expect(!left.equalsIgnoringASCIICase(right), "\(left) ≠ \(right)")
            #expect(!Array(left.utf8).withUnsafeBytes { $0.equalsIgnoringASCIICase(right) })
        }
    }
}
