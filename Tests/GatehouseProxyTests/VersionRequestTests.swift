import GatehouseCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// Where a request names the API version it wants, outside its path.
@Suite("version request fields")
struct VersionRequestTests {
    @Test("API-Version, then Accept-Version, then the Accept media type's version parameter or vendor suffix", arguments: [
        ([("API-Version", " 2 "), ("Accept-Version", "v1")], "2"),
        ([("Accept-Version", "v1")], "v1"),
        ([("Accept", "application/json; version=\"1.4\"")], "1.4"),
        ([("Accept", "text/html, application/vnd.wedsync.v3+json;q=0.9")], "v3"),
        ([("Accept", "application/vnd.wedsync+json")], nil),
        ([("Accept", "application/vnd.")], nil), ([("Accept", "application/vnd.+json; version=")], nil),
        ([("Accept", "application/json")], nil),
        ([], nil),
    ] as [([(String, String)], String?)])
    func token(headers: [(String, String)], expected: String?) {
        #expect(VersionRequest.token(in: ReceivedFields(headers)) == expected)
    }
}
