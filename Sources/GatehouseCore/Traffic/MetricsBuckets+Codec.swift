import Foundation

/// A compact binary form of the buckets, for the projection's checkpoint: varints throughout,
/// dimensions as a tag and their raw UUIDs, numbers and strings, histograms as delta-coded bucket indexes with counts.
extension MetricsBuckets {
    static let codecVersion: UInt8 = 4

    /// Thrown for bytes that are not a checkpoint of this version.
    public struct DecodingError: Error {}

    public func encoded() -> [UInt8] {
        BinaryWriter.bytes(capacity: 1 << 16) { writer in
            writer.byte(Self.codecVersion)
            writer.signed(minuteRetention)
            writer.signed(hourRetention)
            writer.varint(folded)
            writer.signed(oldestMinuteKept)
            writer.signed(openMinute ?? .min)
            writer.signed(openHour ?? .min)
            for section in [minutes, hours, days, recentMinutes] {
                writer.varint(UInt64(section.count))
                for (bucket, tallies) in section {
                    writer.signed(bucket)
                    Self.write(tallies, to: &writer)
                }
            }
            Self.write(open.dictionary, to: &writer)
            Self.write(openHourOnly.dictionary, to: &writer)
        }
    }

    public init(decoding bytes: [UInt8]) throws {
        var decoded: MetricsBuckets?
        try bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            guard try reader.byte() == Self.codecVersion else { throw DecodingError() }
            var buckets = MetricsBuckets(minuteRetention: try reader.signed(), hourRetention: try reader.signed())
            buckets.folded = try reader.varint()
            buckets.oldestMinuteKept = try reader.signed()
            let openMinute = try reader.signed()
            let openHour = try reader.signed()
            buckets.openMinute = openMinute == .min ? nil : openMinute
            buckets.openHour = openHour == .min ? nil : openHour
            var sections: [[Int64: Tallies]] = []
            for _ in 0 ..< 4 {
                var section: [Int64: Tallies] = [:]
                for _ in 0 ..< (try reader.varint()) { section[try reader.signed()] = try Self.readTallies(&reader) }
                sections.append(section)
            }
            (buckets.minutes, buckets.hours, buckets.days, buckets.recentMinutes) = (sections[0], sections[1], sections[2], sections[3])
            buckets.open = TallyTable(try Self.readTallies(&reader))
            buckets.openHourOnly = TallyTable(try Self.readTallies(&reader))
            decoded = buckets
        }
        self = decoded!
    }

    /// A tally's counters and signed figures, in the order they are written and read.
    private static let countFields: [WritableKeyPath<MetricTally, UInt64> & Sendable] = [
        \.requests, \.clientErrors, \.serverErrors, \.cacheHits, \.cacheLookups, \.quotaCounted, \.backendSamples,
    ]
    private static let signedFields: [WritableKeyPath<MetricTally, Int64> & Sendable] = [
        \.requestBytes, \.responseBytes, \.totalMicros, \.firstMicros, \.lastMicros, \.backendMicros,
    ]

    private static func write(_ tallies: Tallies, to writer: inout BinaryWriter) {
        writer.varint(UInt64(tallies.count))
        for (dimension, tally) in tallies {
            switch dimension {
            case .all: writer.byte(0)
            case .gateway(let id): writer.byte(1); writer.uuid(id.uuid)
            case .route(let id): writer.byte(2); writer.uuid(id.uuid)
            case .key(let id): writer.byte(3); writer.uuid(id.uuid)
            case .backend(let id): writer.byte(4); writer.uuid(id.uuid)
            case .status(let status): writer.byte(5); writer.signed(Int64(status))
            case .routeStatus(let id, let status): writer.byte(6); writer.uuid(id.uuid); writer.signed(Int64(status))
            case .routeConsumer(let id, let key): writer.byte(7); writer.uuid(id.uuid); writer.uuid(key.uuid)
            case .routePlace(let id, let country, let city): writer.byte(8); writer.uuid(id.uuid); writer.string(country); writer.string(city)
            case .error(let status, let message): writer.byte(9); writer.signed(Int64(status)); writer.string(message)
            case .subject(let subject): writer.byte(10); writer.string(subject)
            case .routeCacheUse(let id, let hit): writer.byte(11); writer.uuid(id.uuid); writer.byte(hit ? 1 : 0)
            case .recentKey(let id): writer.byte(12); writer.uuid(id.uuid)
            }
            for field in Self.countFields { writer.varint(tally[keyPath: field]) }
            for field in Self.signedFields { writer.signed(tally[keyPath: field]) }
            writer.varint(UInt64(tally.latency.indexes.count))
            var previous: UInt16 = 0
            for (index, count) in zip(tally.latency.indexes, tally.latency.counts) {
                writer.varint(UInt64(index - previous))
                writer.varint(count)
                previous = index
            }
        }
    }

    private static func readTallies(_ reader: inout BinaryReader) throws -> Tallies {
        var tallies: Tallies = [:]
        for _ in 0 ..< (try reader.varint()) {
            let dimension: MetricDimension
            switch try reader.byte() {
            case 0: dimension = .all
            case 1: dimension = .gateway(GatewayID(try reader.uuid()))
            case 2: dimension = .route(RouteID(try reader.uuid()))
            case 3: dimension = .key(APIKeyID(try reader.uuid()))
            case 4: dimension = .backend(BackendServiceID(try reader.uuid()))
            case 5: dimension = .status(Int(try reader.signed()))
            case 6: dimension = .routeStatus(RouteID(try reader.uuid()), Int(try reader.signed()))
            case 7: dimension = .routeConsumer(RouteID(try reader.uuid()), APIKeyID(try reader.uuid()))
            case 8: dimension = .routePlace(RouteID(try reader.uuid()), country: try reader.string(), city: try reader.string())
            case 9: dimension = .error(status: Int(try reader.signed()), message: try reader.string())
            case 10: dimension = .subject(try reader.string())
            case 11: dimension = .routeCacheUse(RouteID(try reader.uuid()), hit: try reader.byte() == 1)
            case 12: dimension = .recentKey(APIKeyID(try reader.uuid()))
            default: throw DecodingError()
            }
            var tally = MetricTally()
            for field in Self.countFields { tally[keyPath: field] = try reader.varint() }
            for field in Self.signedFields { tally[keyPath: field] = try reader.signed() }
            var previous: UInt16 = 0
            for _ in 0 ..< (try reader.varint()) {
                let delta = try reader.varint()
                guard delta <= UInt64(UInt16.max - previous) else { throw DecodingError() }
                previous += UInt16(delta)
                let count = try reader.varint()
                tally.latency.indexes.append(previous)
                tally.latency.counts.append(count)
                tally.latency.total += count
            }
            tallies[dimension] = tally
        }
        return tallies
    }
}
