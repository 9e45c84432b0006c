import Foundation
import GatehouseCore
import GatehouseProxy
import Testing

@Suite("Request ids")
struct RequestIDTests {
    @Test("generated ids are UUIDv7: valid UUIDs, version 7, variant 10, ordered by time")
    func generated() throws {
        var random = SplitMix64(seed: 11)
        var previous = ""
        for step in 0 ..< 200 {
            let id = RequestID.generate(at: Timestamp(microseconds: 1_800_000_000_000_000 + Int64(step) * 1000), using: &random)
            let uuid = try #require(UUID(uuidString: id))
            #expect(id == uuid.uuidString.lowercased())
            #expect(Array(id)[14] == "7")
            #expect(["8", "9", "a", "b"].contains(Array(id)[19]))
            #expect(id > previous)
            #expect(RequestID.isAcceptable(Substring(id)))
            previous = id
        }
    }

    @Test("incoming ids are kept only when well formed")
    func incoming() {
        #expect(RequestID.isAcceptable("req-123_abc.def:9"))
        #expect(!RequestID.isAcceptable(""))
        #expect(!RequestID.isAcceptable(Substring(String(repeating: "a", count: 129))))
        #expect(!RequestID.isAcceptable("has space"))
        #expect(!RequestID.isAcceptable("new\nline"))
        #expect(!RequestID.isAcceptable("ünïcode"))
    }
}
