import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// `transformation_config` on real traffic: request header, query and JSON edits reaching the
/// upstream; response header and body steps (with the client's `?fields=`), on relayed and
/// cached responses; bodies that are not JSON or too large passing through untouched.
@Suite("proxy: transformations", .serialized)
struct ProxyTransformTests {
    static let routes = [
        #"{ route_path: "/api/t/rsvps", route_method: POST, service: demo, upstream_path: "/echo/rsvps", transformation_config: { request_transforms: [ { type: headers, config: { set: { X-Tenant: wedsync }, remove: [X-Debug], rename: { X-Old: X-New } } }, { type: query, config: { set: { source: gateway }, remove: [secret], rename: { q: search } } }, { type: json, config: { rename: { guestName: guest.name }, remove: [internal], add: { channel: mobile } } } ] } }"#,
        #"{ route_path: "/api/t/weddings/{id}", route_method: GET, service: demo, upstream_path: "/cacheable/t/{id}", cache_config: { enabled: true, ttl: 300 }, transformation_config: { response_transforms: [ { type: headers, config: { set: { X-Shaped: "yes" }, remove: [X-Upstream-Instance] } }, { type: json, config: { rename: { served: fetch_count }, remove: [instance] } }, { type: field_filter, config: { allow: [path, fetch_count, query, padding] } }, { type: envelope, config: { key: data } } ] } }"#,
        #"{ route_path: "/api/t/bytes/{n}", route_method: GET, service: demo, upstream_path: "/bytes/{n}", transformation_config: { response_transforms: [ { type: envelope } ] } }"#,
    ]

    static func start() throws -> ProxyFixture {
        try ProxyFixture.start(upstreams: 1, routes: routes, serveArguments: { _ in ["--transform-max-body-bytes", "4000"] })
    }

    @Test("request transforms: headers set, removed and renamed, query edited, JSON body reshaped with Content-Length fixed")
    func requestTransforms() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let body = Data(#"{"guestName": "Ada", "internal": {"x": 1}, "rsvp": "yes"}"#.utf8)
        let response = try await TestHTTP.request(
            "POST", "/api/t/rsvps?q=flowers&secret=s3&keep=1", port: fixture.port,
            headers: [("Content-Type", "application/json"), ("X-Debug", "1"), ("X-Old", "kept")], body: body
        )
        #expect(response.status == 200)
        let echoed = try response.json()
        let headers = echoed["headers"] as? [String: [String]] ?? [:]
        #expect(headers["x-tenant"] == ["wedsync"] && headers["x-debug"] == nil && headers["x-new"] == ["kept"] && headers["x-old"] == nil)
        #expect(echoed["query"] as? [String: String] == ["search": "flowers", "keep": "1", "source": "gateway"])
        let json = echoed["json"] as? [String: Any] ?? [:]
        #expect((json["guest"] as? [String: Any])?["name"] as? String == "Ada")
        #expect(json["internal"] == nil && json["guestName"] == nil && json["channel"] as? String == "mobile" && json["rsvp"] as? String == "yes")
        #expect(echoed["body_bytes"] as? Int == (try JSONSerialization.data(withJSONObject: json, options: .sortedKeys)).count)

        // A body that is not JSON goes through untouched, and the outcome says why.
        let text = try await TestHTTP.request("POST", "/api/t/rsvps", port: fixture.port, headers: [("Content-Type", "text/plain")], body: Data("hello".utf8))
        #expect(try text.json()["body_bytes"] as? Int == 5)
        fixture.stop()
        let note = try fixture.outcomes().last?.errorMessage
        #expect(note == "request transform skipped: the body is text/plain, not JSON")
    }

    @Test("response transforms on relayed and cached responses, narrowed by ?fields=; oversized and non-JSON bodies untouched")
    func responseTransforms() async throws {
        let fixture = try Self.start()
        defer { fixture.tearDown() }
        let miss = try await TestHTTP.request("GET", "/api/t/weddings/1", port: fixture.port)
        #expect(miss.header("X-Cache") == "MISS" && miss.header("X-Shaped") == "yes" && miss.header("X-Upstream-Instance") == nil)
        let data = try miss.json()["data"] as? [String: Any] ?? [:]
        #expect(Set(data.keys) == ["path", "fetch_count", "query"])
        #expect(data["fetch_count"] as? Int == 1)
        #expect(miss.header("Content-Length") == String(miss.body.count))

        let hit = try await TestHTTP.request("GET", "/api/t/weddings/1", port: fixture.port)
        #expect(hit.header("X-Cache") == "HIT" && hit.text == miss.text && hit.header("X-Shaped") == "yes")

        let narrowed = try await TestHTTP.request("GET", "/api/t/weddings/2?fields=path,instance", port: fixture.port)
        #expect(try narrowed.json()["data"] as? [String: String] == ["path": "/cacheable/t/2"])

        // Larger than --transform-max-body-bytes (4000): passed through as the upstream sent it.
        let large = try await TestHTTP.request("GET", "/api/t/weddings/3?pad=6000", port: fixture.port)
        #expect(try large.json()["data"] == nil)
        #expect(try large.json()["instance"] is String)
        // Of unknown length: held until it outgrows the limit, then sent as it came.
        let chunkedLarge = try await TestHTTP.request("GET", "/api/t/weddings/4?pad=6000&chunked=1", port: fixture.port)
        #expect(chunkedLarge.header("Content-Length") == nil)
        #expect(try chunkedLarge.json()["instance"] is String && (try chunkedLarge.json()["data"]) == nil)
        let chunkedSmall = try await TestHTTP.request("GET", "/api/t/weddings/5?chunked=1", port: fixture.port)
        #expect((try chunkedSmall.json()["data"] as? [String: Any])?["path"] as? String == "/cacheable/t/5")
        let binary = try await TestHTTP.request("GET", "/api/t/bytes/100", port: fixture.port)
        #expect(binary.body.count == 100)
        fixture.stop()
        let notes = try fixture.outcomes().compactMap(\.errorMessage)
        #expect(notes.contains("response transform skipped: the body is larger than 4000 bytes"))
        #expect(notes.contains("response transform skipped: the body is application/octet-stream, not JSON"))
    }
}
