import GatehouseCore
import NIOHTTP1
import Testing
@testable import GatehouseProxy

@Suite("the outcome of an exchange")
struct OutcomeRecordTests {
    @Test("kept request fields: the first of each listed name in any case, in list order; never credentials")
    func keptFields() {
        let head = ClientRequestHead(method: .GET, uri: "/api/weddings?page=2", version: .http1_1, headers: [
            "User-Agent": "WedSyncApp/5.2", "Origin": "https://wedsync.example", "ACCEPT": "application/json", "accept": "text/html",
            "Cookie": "session=secret", "Authorization": "Bearer secret", "origin": "https://other.example",
        ])
        let outcome = OutcomeRecord.make(Exchange(head: head, requestID: "r1", startTime: Timestamp(microseconds: 1)))
        #expect(outcome.headers == [HeaderField(name: "accept", value: "application/json"), HeaderField(name: "origin", value: "https://wedsync.example")])
        #expect(outcome.userAgent == "WedSyncApp/5.2")
        #expect((outcome.path, outcome.query, outcome.method) == ("/api/weddings", "page=2", "GET"))
    }

    @Test("recorded values are cut to 256 bytes between Unicode scalars")
    func capped() {
        #expect(OutcomeRecord.capped(String(repeating: "a", count: 300)).utf8.count == 256)
        #expect(OutcomeRecord.capped(String(repeating: "é", count: 200)) == String(repeating: "é", count: 128))
        #expect(OutcomeRecord.capped("a" + String(repeating: "é", count: 200)).utf8.count == 255)
        #expect(OutcomeRecord.capped("short") == "short")
    }
}
