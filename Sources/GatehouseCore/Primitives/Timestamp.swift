import Foundation

/// An instant in microseconds since the Unix epoch, the log's unit of time. Encodes as an
/// RFC 3339 UTC string with microseconds (`2026-11-26T17:00:00.123456Z`), which round-trips
/// exactly — so a state rebuilt from JSON events equals the state evolved in memory.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The instant of `date`, truncated to the microsecond.
    public init(_ date: Date) {
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The current time, truncated to the microsecond, read from the system's real-time clock
    /// directly (a proxy reads it for every request; through `Date` it cost three times as much).
    /// Only the edges (CLI, servers) call this; the core never does.
    public static func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(microseconds: Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000)
    }

    /// The same instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.microseconds < rhs.microseconds }

    /// This instant moved by `seconds`.
    public func adding(seconds: Int64) -> Timestamp { Timestamp(microseconds: microseconds + seconds * 1_000_000) }

    public var description: String { rfc3339 }

    /// RFC 3339 in UTC, with six fractional digits when the instant has a fraction.
    public var rfc3339: String {
        let (seconds, fraction) = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        var wholeSeconds = seconds
        var micros = fraction
        if micros < 0 {
            wholeSeconds -= 1
            micros += 1_000_000
        }
        let (days, secondOfDay) = floorDivision(wholeSeconds, 86_400)
        let (year, month, day) = CivilDate.from(daysSinceEpoch: days)
        let text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
            Int(secondOfDay / 3600), Int(secondOfDay % 3600 / 60), Int(secondOfDay % 60)
        )
        return micros == 0 ? text + "Z" : text + String(format: ".%06dZ", Int(micros))
    }

    /// Parses RFC 3339 (`2026-11-26T17:00:00Z`, `…T17:00:00.5+01:00`) or a plain date
    /// (`2026-11-26`, meaning midnight UTC).
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
              let year = number(0 ..< 4), let month = number(5 ..< 7), let day = number(8 ..< 10),
              (1 ... 12).contains(month), (1 ... CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = CivilDate.daysSinceEpoch(year: year, month: month, day: day) * 86_400
        var micros: Int64 = 0
        if bytes.count > 10 {
            guard bytes.count >= 20, bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32,
                  bytes[13] == 58, bytes[16] == 58,
                  let hour = number(11 ..< 13), let minute = number(14 ..< 16), let second = number(17 ..< 19),
                  hour < 24, minute < 60, second < 61
            else { return nil }
            seconds += hour * 3600 + minute * 60 + second
            var index = 19
            if bytes[index] == 46 {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 6 { micros = micros * 10 + Int64(bytes[index] - 48) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits ..< 6 { micros *= 10 }
            }
            guard index < bytes.count else { return nil }
            let designator = bytes[index]
            if designator == 90 || designator == 122 {
                guard index == bytes.count - 1 else { return nil }
            } else if designator == 43 || designator == 45 {
                guard index + 6 == bytes.count, bytes[index + 3] == 58,
                      let hours = number(index + 1 ..< index + 3), let minutes = number(index + 4 ..< index + 6),
                      hours < 24, minutes < 60 else { return nil }
                let offset = hours * 3600 + minutes * 60
                seconds += designator == 43 ? -offset : offset
            } else {
                return nil
            }
        }
        microseconds = seconds * 1_000_000 + micros
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an RFC 3339 date-time")
        }
        self = timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

private func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithms).
enum CivilDate {
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func from(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
