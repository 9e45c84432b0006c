/// Client locations by address range, from a GeoLite2-style CSV: a blocks file with a `network`
/// column (CIDR) and either the location columns themselves (`country_iso_code` or `country`,
/// `city_name` or `city`, `latitude`, `longitude`) or a `geoname_id` joined with a locations file
/// (GeoLite2's `…-Locations-en.csv`, with `geoname_id`, `country_iso_code`, `city_name`).
/// Networks must not overlap (GeoLite2's do not); lookups are binary searches.
public struct GeoTable: Sendable {
    public struct Location: Sendable, Hashable {
        public var country: String?
        public var city: String?
        public var latitude: Double?
        public var longitude: Double?

        public init(country: String? = nil, city: String? = nil, latitude: Double? = nil, longitude: Double? = nil) {
            self.country = country
            self.city = city
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// A file that cannot be read as a table, with the line at fault.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    private struct Range: Sendable {
        var first: [UInt8]
        var last: [UInt8]
        var location: Location
    }

    private let ranges4: [Range]
    private let ranges6: [Range]

    public var count: Int { ranges4.count + ranges6.count }

    /// Parses the blocks CSV (and the locations CSV its `geoname_id`s refer to, if any).
    public init(blocks: String, locations: String? = nil) throws(Invalid) {
        var places: [String: Location] = [:]
        if let locations {
            let rows = try Self.rows(locations)
            let columns = try Self.columns(rows, ["geoname_id"])
            for (number, row) in rows.enumerated().dropFirst() {
                guard let id = Self.field(row, columns["geoname_id"]) else { throw Invalid(line: number + 1, reason: "no geoname_id") }
                places[id] = Location(
                    country: Self.field(row, columns["country_iso_code"] ?? columns["country"]),
                    city: Self.field(row, columns["city_name"] ?? columns["city"])
                )
            }
        }
        let rows = try Self.rows(blocks)
        let columns = try Self.columns(rows, ["network"])
        var v4: [Range] = []
        var v6: [Range] = []
        for (number, row) in rows.enumerated().dropFirst() {
            guard let network = Self.field(row, columns["network"]), let block = CIDRBlock(network) else {
                throw Invalid(line: number + 1, reason: "not a network in CIDR notation")
            }
            var location = Self.field(row, columns["geoname_id"]).flatMap { places[$0] } ?? Location()
            location.country = Self.field(row, columns["country_iso_code"] ?? columns["country"]) ?? location.country
            location.city = Self.field(row, columns["city_name"] ?? columns["city"]) ?? location.city
            location.latitude = Self.field(row, columns["latitude"]).flatMap(Double.init)
            location.longitude = Self.field(row, columns["longitude"]).flatMap(Double.init)
            let (first, last) = Self.bounds(block)
            let range = Range(first: first, last: last, location: location)
            if first.count == 4 { v4.append(range) } else { v6.append(range) }
        }
        ranges4 = v4.sorted { $0.first.lexicographicallyPrecedes($1.first) }
        ranges6 = v6.sorted { $0.first.lexicographicallyPrecedes($1.first) }
    }

    /// Where `ip` is, if a network holds it.
    public func location(of ip: ClientIP) -> Location? {
        let ranges = ip.bytes.count == 4 ? ranges4 : ranges6
        var low = 0
        var high = ranges.count
        while low < high {  // the first range starting after ip
            let middle = (low + high) / 2
            if ip.bytes.lexicographicallyPrecedes(ranges[middle].first) { high = middle } else { low = middle + 1 }
        }
        guard low > 0 else { return nil }
        let candidate = ranges[low - 1]
        return candidate.last.lexicographicallyPrecedes(ip.bytes) ? nil : candidate.location
    }

    private static func bounds(_ block: CIDRBlock) -> ([UInt8], [UInt8]) {
        var first = block.network
        var last = block.network
        for index in first.indices {
            let bitsBefore = index * 8
            let kept = max(0, min(8, block.prefixLength - bitsBefore))
            let mask: UInt8 = kept == 8 ? 0xFF : ~(0xFF >> UInt8(kept))
            first[index] &= mask
            last[index] = first[index] | ~mask
        }
        return (first, last)
    }

    private static func rows(_ text: String) throws(Invalid) -> [[String]] {
        let rows = text.split(whereSeparator: \.isNewline).map(csvFields)
        guard !rows.isEmpty else { throw Invalid(line: 1, reason: "empty file") }
        return rows
    }

    private static func columns(_ rows: [[String]], _ required: [String]) throws(Invalid) -> [String: Int] {
        let names = Dictionary(rows[0].enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for name in required where names[name] == nil { throw Invalid(line: 1, reason: "the header has no '\(name)' column") }
        return names
    }

    private static func field(_ row: [String], _ column: Int?) -> String? {
        guard let column, column < row.count, !row[column].isEmpty else { return nil }
        return row[column]
    }

    /// One CSV line's fields (RFC 4180 quoting).
    static func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else {
                            quoted = false
                            if next == "," { fields.append(current); current = "" } else { current.append(next) }
                        }
                    } else { quoted = false }
                } else { current.append(character) }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
