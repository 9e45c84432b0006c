import GatehouseCore
import Testing

/// The geo table: both CSV layouts, range edges, IPv6, quoting and refusals.
@Suite("geo table")
struct GeoTableTests {
    func ip(_ text: String) throws -> ClientIP { try #require(CIDRBlock.addressBytes(text).flatMap(ClientIP.init(bytes:))) }

    @Test("a blocks file with location columns: lookups inside, at the edges and outside each network")
    func singleFile() throws {
        let table = try GeoTable(blocks: """
        network,country_iso_code,city_name,latitude,longitude
        10.1.0.0/16,GB,London,51.5072,-0.1276
        10.2.0.0/24,US,"Washington, D.C.",38.9,-77.03
        2001:db8::/32,DE,Berlin,52.52,13.405
        """)
        #expect(table.count == 3)
        #expect(table.location(of: try ip("10.1.2.3"))?.city == "London")
        #expect(table.location(of: try ip("10.1.0.0"))?.country == "GB")
        #expect(table.location(of: try ip("10.1.255.255"))?.latitude == 51.5072)
        #expect(table.location(of: try ip("10.2.0.255"))?.city == "Washington, D.C.")
        #expect(table.location(of: try ip("10.2.1.0")) == nil)
        #expect(table.location(of: try ip("9.255.255.255")) == nil)
        #expect(table.location(of: try ip("2001:db8:1::1"))?.city == "Berlin")
        #expect(table.location(of: try ip("2001:db9::1")) == nil)
    }

    @Test("GeoLite2's two files: blocks with geoname_id joined with the locations file")
    func joinedFiles() throws {
        let table = try GeoTable(
            blocks: "network,geoname_id,registered_country_geoname_id,latitude,longitude\n81.2.69.0/24,2643743,2635167,51.5,-0.12\n",
            locations: "geoname_id,locale_code,continent_code,country_iso_code,city_name\n2643743,en,EU,GB,London\n"
        )
        let place = try #require(table.location(of: try ip("81.2.69.160")))
        #expect(place == GeoTable.Location(country: "GB", city: "London", latitude: 51.5, longitude: -0.12))
    }

    @Test("bad files are refused with the line at fault")
    func refusals() {
        #expect(throws: GeoTable.Invalid.self) { try GeoTable(blocks: "country,city\nGB,London") }
        do {
            _ = try GeoTable(blocks: "network,country\n10.0.0.0/8,GB\nnot-a-network,US")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3)
        }
    }
}
