import NIOCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// Seeded mutations of well-formed messages (bytes flipped, dropped, duplicated; CR, LF, space,
/// colon, comma, digits inserted), read by Gatehouse's HTTP/1 readers and by NIO's. Where both
/// accept a stream they must read the same parts — a disagreement on framing is exactly what
/// request smuggling and response splitting feed on. (Where only one accepts, the readers
/// differ in leniency, which the named cases in the other suites pin down.) Two differences are
/// known and compared away: Gatehouse drops a value's trailing spaces (RFC 9110 §5.5) and keeps
/// the reason phrase an upstream sent with a status code NIO has no name for (NIO reads it as
/// empty).
@Suite("HTTP/1 readers, differential fuzzing")
struct HTTP1DifferentialFuzzTests {
    /// A small deterministic generator (SplitMix64), so a failure names its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `parts` without what the readers are known to read differently.
    static func comparable(_ parts: [String]) -> [String] {
        parts.map { part in
            part.replacing(#/ +(?=, |\]$)/#, with: "").replacing(#/^(head HTTP\/\d\.\d \d{3}) [^\[]*\[/#) { "\($0.1) [" }
        }
    }

    static let interesting: [UInt8] = Array("\r\n :,;0123456789aAfF\t-".utf8)

    static func mutated(_ bytes: [UInt8], using random: inout SplitMix) -> [UInt8] {
        var bytes = bytes
        for _ in 0 ..< Int.random(in: 1 ... 3, using: &random) where !bytes.isEmpty {
            let at = Int.random(in: 0 ..< bytes.count, using: &random)
            switch Int.random(in: 0 ..< 4, using: &random) {
            case 0: bytes[at] = interesting.randomElement(using: &random)!
            case 1: bytes.insert(interesting.randomElement(using: &random)!, at: at)
            case 2: bytes.remove(at: at)
            default: bytes.insert(contentsOf: bytes[at ..< min(bytes.count, at + Int.random(in: 1 ... 8, using: &random))], at: at)
            }
        }
        return bytes
    }

    @Test("requests: where both readers accept a mutated stream, they read the same parts")
    func requests() throws {
        var random = SplitMix(state: 2026_11_27)
        var bothAccepted = 0
        for round in 0 ..< 4000 {
            let base = Array(HTTP1ServerCodecTests.requests[round % HTTP1ServerCodecTests.requests.count].utf8)
            let bytes = Self.mutated(base, using: &random)
            guard let ours = try? HTTP1ServerCodecTests.parts([bytes]), let nio = try? HTTP1ServerCodecTests.nioParts(bytes) else { continue }
            // A stream cut short leaves each reader with what it could read so far: compare
            // only what both finished.
            let common = min(ours.count, nio.count)
            #expect(
                Self.comparable(Array(ours.prefix(common))) == Self.comparable(Array(nio.prefix(common))),
                "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            )
            bothAccepted += 1
        }
        #expect(bothAccepted > 400, "the mutations still leave many streams both readers accept")
    }

    @Test("responses: where both readers accept a mutated stream, they read the same parts")
    func responses() throws {
        var random = SplitMix(state: 1_700_000)
        var bothAccepted = 0
        for round in 0 ..< 4000 {
            let (method, text, closes) = UpstreamResponseParserTests.responses[round % UpstreamResponseParserTests.responses.count]
            let bytes = Self.mutated(Array(text.utf8), using: &random)
            guard let ours = try? UpstreamResponseParserTests.parts(method: method, reads: [bytes], closes: closes),
                  let nio = try? UpstreamResponseParserTests.nioParts(method: method, bytes: bytes, closes: closes) else { continue }
            let common = min(ours.count, nio.count)
            #expect(
                Self.comparable(Array(ours.prefix(common))) == Self.comparable(Array(nio.prefix(common))),
                "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            )
            bothAccepted += 1
        }
        #expect(bothAccepted > 400)
    }
}
