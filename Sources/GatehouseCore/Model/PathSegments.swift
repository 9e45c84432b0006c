#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request path's segments — split on `/`, empty ones left out — kept as byte ranges of the
/// path: what a route lookup compares and a match keeps, with no substring made (and no
/// reference to the path's storage taken) per segment until a parameter's value is asked for.
public struct PathSegments: Sendable {
    public let path: String
    private let ranges: [Range<Int>]

    public init(_ path: String) {
        self.path = path
        ranges = path.withUTF8Bytes { bytes in
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(8)
            var start = 0
            for index in 0 ... bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                if index > start { ranges.append(start ..< index) }
                start = index + 1
            }
            return ranges
        }
    }

    public var count: Int { ranges.count }

    /// The segment at `index`, as a substring of the path.
    public subscript(index: Int) -> Substring {
        let utf8 = path.utf8
        let range = ranges[index]
        return path[utf8.index(utf8.startIndex, offsetBy: range.lowerBound) ..< utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
    }

    /// How many bytes the segment at `index` has.
    func segmentLength(_ index: Int) -> Int {
        ranges[index].count
    }

    /// Calls `body` with the path's bytes (what ``segment(_:in:is:)`` reads).
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        path.withUTF8Bytes(body)
    }

    /// The bytes of the segment at `index`, within `bytes` (the path's, from ``withBytes(_:)``).
    func segment(_ index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[ranges[index]])
    }

    /// Whether the segment at `index` is `literal`, byte for byte (paths compare without
    /// Unicode equivalence, as HTTP defines them).
    func segment(_ index: Int, in bytes: UnsafeBufferPointer<UInt8>, is literal: String) -> Bool {
        let range = ranges[index]
        guard range.count == literal.utf8.count else { return false }
        return literal.withUTF8Bytes { literal in memcmp(bytes.baseAddress! + range.lowerBound, literal.baseAddress!, range.count) == 0 }
    }
}
