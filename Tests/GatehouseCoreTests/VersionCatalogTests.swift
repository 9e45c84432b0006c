import GatehouseCore
import Testing

/// How clients' version tokens and paths map onto a gateway's versions.
@Suite("version catalog")
struct VersionCatalogTests {
    let gateway = GatewayID()

    func catalog() -> (VersionCatalog, APIVersion, APIVersion, APIVersion) {
        let one = APIVersion(gatewayID: gateway, versionName: "v1", versionNumber: "1.4.0", isDefault: true)
        let two = APIVersion(gatewayID: gateway, versionName: "v2", versionNumber: "2.0.0")
        let twoOne = APIVersion(gatewayID: gateway, versionName: "v2-beta", versionNumber: "2.1.0")
        let routes = [
            Route(gatewayID: gateway, routePath: "/api/v1/weddings/{id}", routeMethod: .get, backendServiceID: BackendServiceID(), apiVersionID: one.id),
            Route(gatewayID: gateway, routePath: "/api/V2/weddings/{id}", routeMethod: .get, backendServiceID: BackendServiceID(), apiVersionID: two.id),
        ]
        return (VersionCatalog(versions: [one, two, twoOne], routes: routes), one, two, twoOne)
    }

    @Test("names, numbers, majors and minors find a version; a major two versions share finds neither")
    func tokens() {
        let (catalog, one, two, twoOne) = catalog()
        #expect(catalog.version(named: "v1")?.id == one.id)
        #expect(catalog.version(named: "V1")?.id == one.id)
        #expect(catalog.version(named: "1")?.id == one.id)
        #expect(catalog.version(named: "1.4")?.id == one.id)
        #expect(catalog.version(named: "1.4.0")?.id == one.id)
        #expect(catalog.version(named: "2.0")?.id == two.id)
        #expect(catalog.version(named: "2.1")?.id == twoOne.id)
        #expect(catalog.version(named: "v2")?.id == two.id)  // a name wins over a shared major
        #expect(catalog.version(named: "2") == nil)
        #expect(catalog.version(named: "9") == nil)
        #expect(catalog.defaultVersion?.id == one.id)
    }

    @Test("a version named in the path is found; the versioned path puts the name where the version's routes have it")
    func paths() {
        let (catalog, one, two, twoOne) = catalog()
        #expect(catalog.version(inPath: "/api/v1/weddings/1")?.id == one.id)
        #expect(catalog.version(inPath: "/api/weddings/1") == nil)
        #expect(catalog.path("/api/weddings/1", in: one) == "/api/v1/weddings/1")
        #expect(catalog.path("/api/weddings/1", in: two) == "/api/v2/weddings/1")
        #expect(catalog.path("/api/weddings/1", in: twoOne) == nil)  // no route carries its name
        #expect(catalog.path("/", in: two) == nil)
    }

    @Test("HTTP dates are IMF-fixdate in GMT")
    func httpDates() {
        #expect(Timestamp(microseconds: 784_111_777_000_000).httpDate == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(Timestamp(microseconds: 4_070_908_800_000_000).httpDate == "Thu, 01 Jan 2099 00:00:00 GMT")
        #expect(Timestamp(microseconds: 0).httpDate == "Thu, 01 Jan 1970 00:00:00 GMT")
    }
}
