import GatehouseCore
import NIOCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// Received fields answer every lookup the pipeline's steps make as NIO's `HTTPHeaders` does for
/// the same fields, whether laid out from names and values or left in a parsed head's bytes.
struct ReceivedFieldsTests {
    /// Values without whitespace around them, as a parsed head holds them (RFC 9112 §5).
    static let fieldLists: [[(String, String)]] = [
        [],
        [("Host", "api.wedsync.example"), ("Accept", "application/json")],
        [("X-Forwarded-For", "1.1.1.1, 2.2.2.2"), ("x-forwarded-for", "3.3.3.3 ,, \t,4.4.4.4"), ("Via", "1.1 cdn")],
        [("Connection", "keep-alive, Upgrade"), ("Upgrade", "websocket"), ("CONNECTION", "x-trace")],
        [("Set-Cookie", "a=1, b=2"), ("set-cookie", "c=3"), ("Accept-Encoding", "gzip;q=0.5,\tbr")],
        [("Empty", ""), ("Cache-Control", "no-cache"), ("Pragma", "no-cache"), ("User-Agent", "WedSync/4.2.1 (iPhone; iOS 17.4)")],
    ]
    static let names = [
        "host", "HOST", "accept", "x-forwarded-for", "via", "connection", "upgrade", "set-cookie", "accept-encoding", "empty",
        "cache-control", "pragma", "user-agent", "absent", "hos", "",
    ]

    /// The fields of `fields` as the HTTP/1 codec reads them from a request's bytes.
    static func parsed(_ fields: [(String, String)]) throws -> ReceivedFields {
        var bytes = ByteBuffer(string: "GET /api/v1/weddings HTTP/1.1\r\n")
        for (name, value) in fields { bytes.writeString("\(name): \(value)\r\n") }
        bytes.writeString("\r\n")
        var parser = ClientRequestParser(headLimit: 8192)
        guard case .head(let head)? = try parser.next(from: &bytes) else { throw ParseFailed() }
        return head.headers
    }

    struct ParseFailed: Error {}

    @Test("lookups agree with NIO's headers, for fields laid out and for fields parsed from bytes")
    func lookupsAgreeWithNIO() throws {
        for fields in Self.fieldLists {
            let nio = HTTPHeaders(fields)
            for received in [ReceivedFields(fields), try Self.parsed(fields)] {
                #expect(received == ReceivedFields(nio))
                #expect(received.count == nio.count)
                #expect(received.strings.map(\.0) == nio.map(\.name) && received.strings.map(\.1) == nio.map(\.value))
                #expect(received.byteCount == nio.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
                #expect(received.httpHeaders == nio)
                for name in Self.names {
                    #expect(received.first(name: name) == nio.first(name: name), "\(name) in \(fields)")
                    #expect(received.withFirstValue(name: name) { String(decoding: $0, as: UTF8.self) } == nio.first(name: name), "\(name) in \(fields)")
                    #expect(received.contains(name: name) == nio.contains(name: name), "\(name) in \(fields)")
                    #expect(received[name] == nio[name], "\(name) in \(fields)")
                    #expect(received[canonicalForm: name] == nio[canonicalForm: name], "\(name) in \(fields)")
                }
            }
        }
    }

    @Test("fields named in Connection are left out, the rest keep their order")
    func removing() throws {
        let received = try Self.parsed([("Connection", "x-trace"), ("X-Trace", "1"), ("Via", "1.1 cdn"), ("x-trace", "2"), ("Host", "h")])
        let kept = received.removing(["x-trace", "connection"])
        #expect(kept.strings.map(\.0) == ["Via", "Host"])
        #expect(kept.first(name: "host") == "h" && !kept.contains(name: "x-trace"))
        #expect(received.removing([]) == received)
    }

    @Test("a parsed head keeps its method, target and version, and equals the same head from NIO's type")
    func parsedHead() throws {
        var bytes = ByteBuffer(string: "PATCH /api/v1/rsvps/7?x=1 HTTP/1.0\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}")
        var parser = ClientRequestParser(headLimit: 8192)
        guard case .head(let head)? = try parser.next(from: &bytes) else { throw ParseFailed() }
        #expect(head.method == .PATCH && head.uri == "/api/v1/rsvps/7?x=1" && head.version == .http1_0)
        let nio = HTTPRequestHead(version: .http1_0, method: .PATCH, uri: "/api/v1/rsvps/7?x=1", headers: ["Host": "h", "Content-Length": "2"])
        #expect(head == ClientRequestHead(nio))
        #expect(head.nioHead == nio)
    }

    @Test("a request head fills the storage the one before left once its request let go of it; one still held keeps its own")
    func headStorageReused() throws {
        var parser = ClientRequestParser(headLimit: 8192)
        func next(_ text: String) throws -> ClientRequestHead {
            var bytes = ByteBuffer(string: text)
            guard case .head(let head)? = try parser.next(from: &bytes), case .end? = try parser.next(from: &bytes) else { throw ParseFailed() }
            #expect(try parser.next(from: &bytes) == nil)  // asked with nothing to read, as the codec does
            return head
        }
        func storage(_ head: ClientRequestHead) -> [UnsafeRawPointer?] {
            [head.headers.bytes.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) },
             head.headers.lines.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }]
        }
        let first = storage(try next("GET /a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n"))
        let second = try next("GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(storage(second) == first && first.allSatisfy { $0 != nil })
        #expect(second.uri == "/b" && second.headers.strings.map(\.0) == ["Host"])
        let third = try next("GET /c HTTP/1.1\r\nHost: i\r\n\r\n")
        #expect(storage(third)[0] != storage(second)[0] && storage(third)[1] != storage(second)[1])
        #expect(second.headers.first(name: "host") == "h" && third.headers.first(name: "host") == "i")
    }
}
