import Foundation
import GatehouseCore
import NIOHTTP1
import Testing
@testable import GatehouseProxy

@Suite("request signatures")
struct RequestSignatureTests {
    @Test("Signature fields parse; malformed ones are refused")
    func parsing() throws {
        let parsed = try RequestSignature.parse(#"keyId="vendor-a", algorithm="hmac-sha256",headers="(request-target) Host date",signature="AAEC""#)
        #expect(parsed == RequestSignature.Parameters(keyID: "vendor-a", algorithm: "hmac-sha256", headers: ["(request-target)", "host", "date"], signature: Data([0, 1, 2])))
        #expect(throws: RequestSignature.Rejection.self) { try RequestSignature.parse(#"keyId=vendor-a,signature="AAEC""#) }
        #expect(throws: RequestSignature.Rejection.self) { try RequestSignature.parse(#"algorithm="hmac-sha256""#) }
    }

    @Test("HTTP dates and Content-Digest values")
    func fields() throws {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Timestamp(rfc3339: "1994-11-06T08:49:37Z"))
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        let head = ClientRequestHead(method: .POST, uri: "/x", version: .http1_1, headers: ["Content-Digest": "md5=:AAAA:, sha-256=:\(String(repeating: "A", count: 43))=:"])
        #expect(try RequestSignature.announcedDigest(head).count == 32)
        #expect(throws: RequestSignature.Rejection.self) {
            try RequestSignature.announcedDigest(ClientRequestHead(method: .POST, uri: "/x", version: .http1_1, headers: ["Content-Digest": "sha-512=:AAAA:"]))
        }
    }

    @Test("a signature must cover the target, host, date and the digest of a body, and use a known key")
    func coverage() {
        let config = RequestSigning(keys: [RequestSigning.Key(keyID: "k", secretEnv: "K")], requiredHeaders: ["x-vendor"])
        let now = Timestamp(rfc3339: "2026-11-26T12:00:00Z")!
        func head(_ signature: String) -> ClientRequestHead {
            ClientRequestHead(method: .POST, uri: "/x", version: .http1_1, headers: [
                "Host": "h", "Date": "Thu, 26 Nov 2026 12:00:00 GMT", "Signature": signature,
            ])
        }
        #expect(throws: RequestSignature.Rejection("the signature must cover x-vendor")) {
            try RequestSignature.verify(head(#"keyId="k",headers="(request-target) host date",signature="AA==""#), config: config, secrets: ["k": "s"], now: now, hasBody: false)
        }
        #expect(throws: RequestSignature.Rejection("the signature must cover content-digest")) {
            try RequestSignature.verify(head(#"keyId="k",headers="(request-target) host date x-vendor",signature="AA==""#), config: config, secrets: ["k": "s"], now: now, hasBody: true)
        }
        #expect(throws: RequestSignature.Rejection("unknown keyId 'other'")) {
            try RequestSignature.verify(head(#"keyId="other",signature="AA==""#), config: config, secrets: ["k": "s"], now: now, hasBody: false)
        }
    }
}
