import Foundation
import GatehouseTesting
import Testing

@Suite("Corruption detection")
struct CorruptionTests {
    let gatehouse = BuiltProducts.path(of: "gatehouse")

    @Test("a flipped byte in a copy of the data file is named by sequence and never projected")
    func flippedByte() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-corrupt")
        defer { directory.remove() }
        let data = directory.appending("data")
        #expect(try runProcess(gatehouse, ["config", "apply", Fixtures.path("wedsync.yaml"), "--data", data]).status == 0)
        let audit = try runProcess(gatehouse, ["audit", "--data", data, "--kind", "APIKeyIssued", "--format", "json"])
        let premiumLine = try #require(audit.standardOutput.split(separator: "\n").first { $0.contains("\"key_name\":\"demo-premium\"") })
        let sequence = try #require(premiumLine.firstMatch(of: /"sequence":(\d+)/).map { String($0.1) })

        // Corrupt a copy, as an operator would inspect a suspect backup.
        let copy = directory.appending("copy")
        try FileManager.default.copyItem(atPath: data, toPath: copy)
        let file = copy + "/data.mdb"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let marker = Data("\"key_name\":\"demo-premium\"".utf8)
        var flipped = 0
        var searchStart = bytes.startIndex
        while let range = bytes.range(of: marker, in: searchStart ..< bytes.endIndex) {
            bytes[range.lowerBound + 13] ^= 0x20  // "demo-premium" → "Demo-premium"
            flipped += 1
            searchStart = range.upperBound
        }
        #expect(flipped >= 1)
        try bytes.write(to: URL(fileURLWithPath: file))

        let verify = try runProcess(gatehouse, ["log", "verify", "--data", copy])
        #expect(verify.status != 0)
        #expect(verify.standardOutput.contains("corrupt: sequence \(sequence) (control): CRC mismatch"), "\(verify.standardOutput)")
        let show = try runProcess(gatehouse, ["config", "show", "--data", copy])
        #expect(show.status != 0)
        #expect(show.standardError.contains("corrupt record at sequence \(sequence)"), "\(show.standardError)")
        // The original is untouched.
        #expect(try runProcess(gatehouse, ["log", "verify", "--data", data]).status == 0)
    }
}
