import EventLog
import EventLogLMDB
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTesting
import Testing

@Suite("Crash safety", .serialized)
struct CrashTests {
    @Test("a writer killed with SIGKILL at random points loses no acknowledged config event and corrupts nothing")
    func sigkillDuringAppends() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-crash")
        defer { directory.remove() }
        var random = SystemRandomNumberGenerator()
        var acknowledged: [(sequence: UInt64, name: String)] = []
        for _ in 0 ..< 6 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "log-crash-writer"))
            process.arguments = [directory.path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            // Wait for the first acknowledgement, then kill at a random moment.
            var text = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            Thread.sleep(forTimeInterval: Double.random(in: 0 ... 0.25, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .uncaughtSignal)
            for line in text.split(separator: "\n") where line.hasPrefix("acked ") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, let sequence = UInt64(parts[1]) else { continue }
                acknowledged.append((sequence, String(parts[2])))
            }
        }
        #expect(acknowledged.count >= 6, "each round acknowledged at least one append")

        let log = try LMDBEventLog(directory: directory.path)
        let report = try log.verify()
        #expect(report.isClean, "\(report.corruptRecords)")
        let state = try ControlProjection.rebuild(from: log)
        for (sequence, name) in acknowledged {
            #expect(state.gateway(named: name) != nil, "acknowledged \(name) at \(sequence) is missing")
            #expect(try log.read(.control, after: sequence - 1, limit: 1).first?.sequence == sequence)
        }
        // The engine opens cleanly on what the killed writers left, checkpoint or not.
        #expect(try GatehouseEngine(log: log).state == state)
    }
}
