import GatehouseCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

@Suite("Header handling")
struct HeaderHandlingTests {
    @Test("hop-by-hop fields and the fields Connection names are removed; upgrades can keep theirs")
    func hopByHop() {
        var headers = HTTPHeaders([
            ("Host", "api.wedsync.example"), ("Connection", "keep-alive, X-Secret-Hop"), ("Keep-Alive", "timeout=5"),
            ("X-Secret-Hop", "1"), ("x-secret-hop", "2"), ("TE", "trailers"), ("Transfer-Encoding", "chunked"), ("Upgrade", "websocket"),
            ("Proxy-Authorization", "Basic x"), ("Accept", "application/json"), ("Proxy-Connection", "keep-alive"),
            ("Trailer", "Expires"), ("PROXY-AUTHENTICATE", "Basic"),
        ])
        var upgrade = headers
        HopByHopHeaders.remove(from: &headers)
        #expect(headers.map(\.name) == ["Host", "Accept"])
        HopByHopHeaders.remove(from: &upgrade, keepUpgrade: true)
        #expect(upgrade.first(name: "upgrade") == "websocket")
        #expect(upgrade.first(name: "connection") == "upgrade")
        #expect(!upgrade.contains(name: "x-secret-hop") && !upgrade.contains(name: "keep-alive"))
        var closing = HTTPHeaders([("connection", "Close"), ("CONNECTION", " x-a ,, KEEP-ALIVE"), ("X-A", "1"), ("Keep-Alive", "timeout=5"), ("Date", "now")])
        HopByHopHeaders.remove(from: &closing)
        #expect(closing.map(\.name) == ["Date"], "every Connection field counts, tokens in any case and spacing")
        let present = HopByHopHeaders.present(in: HTTPHeaders([("Connection", "keep-alive, X-Secret-Hop"), ("TE", "trailers"), ("Accept", "*/*")]))
        #expect(present.contains("CONNECTION") && present.contains("te") && present.contains("x-secret-HOP"))
        #expect(!present.contains("accept") && !present.contains("upgrade") && !present.contains("keep-alive"), "only the fields it carries")
        #expect(present.listed == ["x-secret-hop"] && !present.isEmpty && HopByHopHeaders.present(in: HTTPHeaders([("Accept", "*/*")])).isEmpty)
    }

    @Test("whether a connection stays open: as NIO's isKeepAlive answers, for both versions")
    func persistence() {
        let cases: [[(String, String)]] = [
            [], [("Connection", "close")], [("Connection", "keep-alive")], [("connection", " Keep-Alive , Upgrade")],
            [("Connection", "upgrade"), ("CONNECTION", "CLOSE")], [("Connection", "keep-alive, close")], [("X-Connection", "close")],
            [("Connection", ",,")], [("Connection", "closed")],
        ]
        for fields in cases {
            let headers = HTTPHeaders(fields)
            for version in [HTTPVersion.http1_0, .http1_1] {
                let head = HTTPRequestHead(version: version, method: .GET, uri: "/", headers: headers)
                #expect(HopByHopHeaders.present(in: headers).keepsConnectionOpen(in: version) == head.isKeepAlive, "\(fields) \(version)")
            }
        }
    }

    @Test("field names compare ignoring ASCII case only")
    func asciiCase() {
        #expect("Content-Type".equalsIgnoringASCIICase("content-TYPE"))
        #expect("te"[...].equalsIgnoringASCIICase("TE"))
        #expect("".equalsIgnoringASCIICase(""))
        #expect(!"Content-Typf".equalsIgnoringASCIICase("content-type"))
        #expect(!"connection".equalsIgnoringASCIICase("connections"))
        #expect(!"[x]".equalsIgnoringASCIICase("{x}"), "0x5B and 0x7B differ by the case bit but are not letters")
        #expect(!"é".equalsIgnoringASCIICase("É"))
        // Substrings in the middle of their string, compared as byte buffers.
        let line = "x-Keep-Alive: timeout=5, Max=100"
        #expect(line.dropFirst(2).prefix(10).equalsIgnoringASCIICase("KEEP-ALIVE"))
        #expect(line.suffix(7).equalsIgnoringASCIICase("max=100"[...]))
        #expect(!line.suffix(7).equalsIgnoringASCIICase("max=101"))
        #expect("@"[...].equalsIgnoringASCIICase("@") && !"@".equalsIgnoringASCIICase("`"))
    }

    /// The pieces `forEachPiece` gives, collected.
    static func pieces<Text: StringProtocol>(_ text: Text, _ separator: Character, omittingEmpty: Bool) -> [Text.SubSequence] {
        var pieces: [Text.SubSequence] = []
        text.forEachPiece(separatedByASCII: separator.asciiValue!, omittingEmpty: omittingEmpty) { pieces.append($0) }
        return pieces
    }

    @Test("protocol text splits on ASCII bytes and trims spaces and tabs only")
    func asciiSplitAndTrim() {
        #expect(Self.pieces("/api//v1/é/", "/", omittingEmpty: true) == ["api", "v1", "é"])
        #expect(Self.pieces("a,,b,", ",", omittingEmpty: false) == ["a", "", "b", ""])
        #expect(Self.pieces("", ",", omittingEmpty: true).isEmpty)
        #expect(Self.pieces("x"[...], ",", omittingEmpty: false) == ["x"])
        #expect(" \t keep-alive \t"[...].trimmingSpaces() == "keep-alive")
        #expect(" \t "[...].trimmingSpaces().isEmpty)
        #expect("\u{A0}x\u{A0}"[...].trimmingSpaces() == "\u{A0}x\u{A0}", "only HTTP's optional whitespace")
        // Against the standard library's split, on strings and on substrings cut from the middle
        // of others (pieces are cut at offsets from the substring's own start).
        var random = SplitMix64(seed: 11)
        let alphabet: [Character] = ["a", ",", "é", ",", " ", "z", "\u{1F600}", "/"]
        for _ in 0 ..< 500 {
            let text = String((0 ..< Int(random.next() % 12)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let cut = "xx," + text + ",yy"
            let middle = cut.dropFirst(2).dropLast(2)
            for omitting in [true, false] {
                #expect(Self.pieces(text, ",", omittingEmpty: omitting) == text.split(separator: ",", omittingEmptySubsequences: omitting))
                #expect(Self.pieces(middle, ",", omittingEmpty: omitting) == middle.split(separator: ",", omittingEmptySubsequences: omitting))
            }
        }
    }

    @Test("paths with dot segments, plain or percent-encoded, are told apart from dots inside segments")
    func dotSegments() {
        for path in ["/a/./b", "/a/../b", "/..", "/a/%2E%2e/b", "/a/.%2E", "/%2e", "/a/%2e."] {
            #expect(RequestPath.hasDotSegments(path[...]), "\(path)")
        }
        for path in ["/api/v1/weddings/w1", "/a/b.json", "/a/...", "/a/%2f", "/v1.2/x", "/a/.b", ""] {
            #expect(!RequestPath.hasDotSegments(path[...]), "\(path)")
        }
        let cut = "xx/a/../b yy".dropFirst(2).dropLast(3)  // a substring from the middle of another
        #expect(RequestPath.hasDotSegments(cut) && !RequestPath.hasDotSegments(cut.dropFirst(3).dropFirst(3)))
        #expect("a.b".containsASCII(UInt8(ascii: "."), or: UInt8(ascii: "%")) && !"é/x".containsASCII(UInt8(ascii: "."), or: UInt8(ascii: "%")))
    }

    @Test("a rewrite removes every field of a replaced name, in any case, keeps the rest in order and appends its own")
    func replacingAll() {
        let headers = ReceivedFields([
            ("Content-Type", "application/json"), ("x-request-id", "upstream"), ("X-Gateway", "a"), ("X-GATEWAY", "b"), ("Date", "today"),
            ("X-Drop", "1"),
        ])
        var rewrite = FieldRewrite()
        for (name, value) in [("X-Request-ID", "r1"), ("X-Gateway", "g"), ("RateLimit", "\"p\";r=1;t=2")] { rewrite.replace(name, with: value) }
        rewrite.remove("x-drop")
        rewrite.add("X-Added", "2")
        let rewritten = rewrite.applied(to: headers)
        #expect(rewritten.map(\.name) == ["Content-Type", "Date", "X-Request-ID", "X-Gateway", "RateLimit", "X-Added"])
        #expect(rewritten.first(name: "x-request-id") == "r1" && rewritten.first(name: "x-gateway") == "g")
        #expect(FieldRewrite().applied(to: ReceivedFields([("Accept", "*/*")])).map(\.name) == ["Accept"])
    }

    @Test("a rewrite emptied for reuse edits nothing until given new edits")
    func emptiedForReuse() {
        let headers = ReceivedFields([("Accept", "*/*"), ("X-Drop", "1")])
        var rewrite = FieldRewrite()
        rewrite.remove("x-drop")
        rewrite.remove("x-other")
        rewrite.add("X-Added", "1")
        rewrite.add("X-Other", "2")
        rewrite.removeAll()
        #expect(rewrite.applied(to: headers).map(\.name) == ["Accept", "X-Drop"])
        rewrite.replace("Accept", with: "application/json")
        #expect(rewrite.applied(to: headers).map(\.value) == ["1", "application/json"])
        #expect(rewrite.removed == ["Accept"] && rewrite.added.map(\.0) == ["Accept"], "what an earlier request left in the storage is not an edit")
        #expect(!rewrite.removes("x-drop") && !rewrite.removes("X-Other"))
    }

    @Test("the fields a rewrite adds are found by name in any case, and not once it is emptied for reuse")
    func addedFieldsFound() {
        let original = ReceivedFields([("Host", "client"), ("Content-Length", "3")])
        var rewrite = FieldRewrite()
        rewrite.replace("host", with: "upstream")
        rewrite.add("Transfer-Encoding", "chunked")
        var fields = RewrittenFields(original: original, rewrite: rewrite)
        #expect(fields.first("host") == "upstream" && fields.first("transfer-encoding") == "chunked" && fields.first("content-length") == "3")
        #expect(fields.contains("transfer-encoding") && !fields.contains("x-other") && rewrite.firstAdded("TRANSFER-ENCODING") == "chunked")
        rewrite.removeAll()
        rewrite.add("X-Request-ID", "r1")
        fields = RewrittenFields(original: original, rewrite: rewrite)
        #expect(!fields.contains("transfer-encoding") && fields.first("host") == "client" && fields.first("x-request-id") == "r1")
    }

    @Test("edits reused request after request keep their storage and start empty each time")
    func reusedInPlace() {
        let headers = ReceivedFields([("Accept", "*/*"), ("Host", "client")])
        var storage = FieldRewrite(removals: 4, additions: 2)
        func addresses(_ rewrite: FieldRewrite) -> [UnsafeRawPointer?] {
            [rewrite.removed.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }, rewrite.added.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }]
        }
        var seen: [[UnsafeRawPointer?]] = []
        for upstream in ["a", "b", "c"] {
            let applied = storage.reusing { rewrite in
                #expect(rewrite.removed.isEmpty && rewrite.added.isEmpty)
                rewrite.replace("Host", with: upstream)
                seen.append(addresses(rewrite))
                return rewrite.applied(to: headers)
            }
            #expect(applied.map(\.value) == ["*/*", upstream])
        }
        #expect(storage.removed.isEmpty && storage.added.isEmpty)
        #expect(seen.allSatisfy { $0 == seen[0] } && seen[0].allSatisfy { $0 != nil })
    }

    @Test("X-Forwarded-For from untrusted clients is replaced, from trusted proxies appended; Via accumulates")
    func forwarding() {
        func forwarded(_ headers: ReceivedFields, clientAddress: String, host: String?, trustIncoming: Bool) -> HTTPHeaders {
            var rewrite = FieldRewrite()
            ForwardingHeaders.rewrite(headers, clientAddress: clientAddress, scheme: "http", host: host, trustIncoming: trustIncoming, into: &rewrite)
            return rewrite.applied(to: headers)
        }
        let untrusted = forwarded(
            ReceivedFields([("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-Proto", "https")]), clientAddress: "203.0.113.7", host: "api.wedsync.example",
            trustIncoming: false
        )
        #expect(untrusted.first(name: "x-forwarded-for") == "203.0.113.7")
        #expect(untrusted.first(name: "x-forwarded-proto") == "http")
        #expect(untrusted.first(name: "x-forwarded-host") == "api.wedsync.example")
        #expect(untrusted.first(name: "via") == "1.1 gatehouse")

        let trusted = forwarded(
            ReceivedFields([("X-Forwarded-For", "198.51.100.1, 10.0.0.2"), ("X-Forwarded-Proto", "https"), ("Via", "1.1 cdn")]), clientAddress: "10.0.0.3",
            host: nil, trustIncoming: true
        )
        #expect(trusted.first(name: "x-forwarded-for") == "198.51.100.1, 10.0.0.2, 10.0.0.3")
        #expect(trusted.first(name: "x-forwarded-proto") == "https")
        #expect(trusted.first(name: "via") == "1.1 cdn, 1.1 gatehouse")
    }

    @Test("ambiguous framing is refused", arguments: [
        ([("Content-Length", "5"), ("Transfer-Encoding", "chunked")], MessageFraming.Violation.contentLengthWithTransferEncoding),
        ([("Content-Length", "5"), ("Content-Length", "6")], .conflictingContentLengths),
        ([("Content-Length", "5, 6")], .conflictingContentLengths),
        ([("Content-Length", "-1")], .invalidContentLength("-1")),
        ([("Content-Length", "0x10")], .invalidContentLength("0x10")),
        ([("Transfer-Encoding", "gzip")], .unsupportedTransferEncoding("gzip")),
        ([("Transfer-Encoding", "chunked, gzip")], .unsupportedTransferEncoding("chunked, gzip")),
        ([("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")], .unsupportedTransferEncoding("chunked, chunked")),
        ([("X-Evil", "a\r\nContent-Length: 0")], .invalidFieldValue(name: "X-Evil")),
    ] as [([(String, String)], MessageFraming.Violation)])
    func refused(fields: [(String, String)], violation: MessageFraming.Violation) {
        #expect(throws: violation) { try MessageFraming.check(ReceivedFields(fields)) }
    }

    @Test("sound framing gives the body length")
    func accepted() throws {
        #expect(try MessageFraming.check(ReceivedFields([("Content-Length", "42")])) == 42)
        #expect(try MessageFraming.check(ReceivedFields([("Content-Length", "42"), ("Content-Length", "42")])) == 42)
        #expect(try MessageFraming.check(ReceivedFields([("Transfer-Encoding", "gzip, chunked")])) == nil)
        #expect(try MessageFraming.check(ReceivedFields([("Transfer-Encoding", " Chunked ")])) == nil)
        #expect(try MessageFraming.check(ReceivedFields([])) == nil)
    }
}
