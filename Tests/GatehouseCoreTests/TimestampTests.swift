import Foundation
import GatehouseCore
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test("now is the real-time clock's instant, as Date reads it, to the microsecond")
    func now() {
        let before = Timestamp(Date())
        let now = Timestamp.now()
        let after = Timestamp(microseconds: Timestamp(Date()).microseconds + 1)  // Date truncates; the clock may be a hair ahead
        #expect(before.microseconds - 1 <= now.microseconds && now <= after, "\(before) \(now) \(after)")
    }

    @Test("formats RFC 3339 in UTC with microseconds and parses it back exactly")
    func roundTrip() throws {
        for micros: Int64 in [0, 1, 999_999, 1_764_172_800_000_000, 1_764_172_800_123_456, -1, -86_400_000_001, 253_402_300_799_999_999] {
            let timestamp = Timestamp(microseconds: micros)
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp, "\(timestamp.rfc3339)")
        }
        #expect(Timestamp(microseconds: 1_764_172_800_000_000).rfc3339 == "2025-11-26T16:00:00Z")
        #expect(Timestamp(microseconds: 1_764_172_800_000_001).rfc3339 == "2025-11-26T16:00:00.000001Z")
        #expect(Timestamp(microseconds: -1).rfc3339 == "1969-12-31T23:59:59.999999Z")
    }

    @Test("parses offsets, short fractions and plain dates")
    func parsing() {
        #expect(Timestamp(rfc3339: "2026-11-26T18:00:00+01:00") == Timestamp(rfc3339: "2026-11-26T17:00:00Z"))
        #expect(Timestamp(rfc3339: "2026-11-26T17:00:00.5Z")?.microseconds == Timestamp(rfc3339: "2026-11-26T17:00:00Z")!.microseconds + 500_000)
        #expect(Timestamp(rfc3339: "2026-11-26") == Timestamp(rfc3339: "2026-11-26T00:00:00Z"))
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
    }

    @Test("rejects what is not a date-time", arguments: [
        "", "2026", "2026-13-01", "2025-02-29", "2026-11-26T25:00:00Z", "2026-11-26T17:00:00", "2026-11-26T17:00:00.Z",
        "2026-11-26T17:00:00+0100", "tomorrow", "2026-11-26T17:00:00Zjunk",
    ])
    func rejects(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}
