import EventLog
import EventLogLMDB
import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

/// A serving gateway prunes raw outcomes past its retention window once they are rolled up;
/// the analytics still count them.
@Suite("traffic retention (end to end)", .serialized)
struct RetentionTests {
    @Test("40 days of recorded outcomes: the 8 oldest days are pruned and recorded as OutcomesPruned; gatehouse query still counts them all")
    func servePrunes() async throws {
        let now = Timestamp.now()
        let count = 40 * 24
        let fixture = try ProxyFixture.start(upstreams: 1, serveArguments: { directory in
            // One outcome an hour for 40 days (at half past, so none sits on the window's edge
            // whenever the pass runs), written before the gateway starts.
            let log = try LMDBEventLog(directory: directory.appending("data"))
            var traffic = SyntheticTraffic(seed: 4)
            _ = try log.appendTraffic((0 ..< count).map { traffic.next(at: now.adding(seconds: Int64($0 - count) * 3_600 + 1_800)).trafficAppend() })
            return ["--traffic-retention-days", "32", "--retention-interval", "1"]
        })
        defer { fixture.tearDown() }
        let line = try fixture.gateway.process.waitForLine(containing: "\"event\":\"outcomes_pruned\"")
        let old = (0 ..< count).filter { Int64(count - $0) * 3_600 - 1_800 > 32 * 86_400 }.count
        #expect(line.contains("\"count\":\(old)"))

        let gatehouse = BuiltProducts.path(of: "gatehouse")
        let query = try runProcess(gatehouse, ["query", "overview", "--data", fixture.gateway.data, "--range", "41d", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(query.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.first?["requests"] as? Int == count, "\(query.standardError)")

        fixture.stop()
        #expect(try fixture.outcomes().count == count - old)
        let pruned = try fixture.controlEvents().compactMap { event -> OutcomesPruned? in
            if case .outcomesPruned(let pruned) = event { return pruned }
            return nil
        }
        #expect(pruned.count == 1 && pruned.first?.count == old && pruned.first?.throughSequence == SequenceNumber(old))
    }

    @Test("a window below 32 days is refused at start-up")
    func minimumWindow() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-retention")
        defer { directory.remove() }
        let result = try runProcess(BuiltProducts.path(of: "gatehouse"), ["serve", "--data", directory.appending("data"), "--traffic-retention-days", "7"])
        #expect(result.status != 0 && result.standardError.contains("--traffic-retention-days"))
    }
}
