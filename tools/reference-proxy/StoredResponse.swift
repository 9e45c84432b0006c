import NIOCore

/// The response `hit` mode answers with: what the benchmark's nginx upstream sends, as a
/// cache would hold it, serialized once.
enum StoredResponse {
    static func make() -> ByteBuffer {
        let body = #"{"id":"w1","couple":"Ada & Grace","date":"2027-06-12","venue":"Kew Gardens","guest_count":120}"#
        return ByteBuffer(string: "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 27 Nov 2026 19:00:00 GMT\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: keep-alive\r\nX-Cache: HIT\r\n\r\n\(body)")
    }
}
