import GatehouseCore
import NIOCore
import Testing

@testable import GatehouseProxy

/// Field lines copied from a received head in runs give the bytes that writing each kept field
/// on its own gives, whatever form the lines arrived in.
struct FieldLineRunsTests {
    static let heads = [
        "GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nX-Drop: 1\r\nUser-Agent: wrk\r\n\r\n",
        "GET / HTTP/1.1\r\nHost:a\r\nX-Spaced:   v   \r\nX-Tab:\tt\r\nEmpty:\r\nEmpty2: \r\nX-Last: z\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\nAccept: */*\r\nX-Drop: 2\nX-Keep: k\r\nX-Keep2: k2\r\n\r\n",
        "GET / HTTP/1.1\r\nX-Drop: 1\r\nX-Drop: 2\r\nX-Drop: 3\r\n\r\n",
    ]

    @Test("runs and single lines together write what field-by-field writing writes", arguments: heads)
    func sameAsFieldByField(text: String) throws {
        var bytes = ByteBuffer(string: text)
        var parser = ClientRequestParser(headLimit: 8192)
        guard case .head(let head)? = try parser.next(from: &bytes) else { throw ParseFailed() }
        let fields = head.headers
        let keeps = { (name: FieldBytes) in !name.isNamed("x-drop") }
        var runs = ByteBuffer(), single = ByteBuffer()
        fields.bytes.withUnsafeBytes { raw in
            FieldLineRuns.write(fields.lines, of: raw, into: &runs) { name, _ in keeps(name) }
        }
        fields.forEach { name, value in
            if keeps(FieldBytes(bytes: name)) { single.writeHTTP1Field(name, value) }
        }
        #expect(String(buffer: runs) == String(buffer: single))
        #expect(!String(buffer: runs).contains("X-Drop"))
    }

    struct ParseFailed: Error {}
}
