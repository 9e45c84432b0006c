import EventLog
import EventLogLMDB
import Foundation
import GatehouseTesting
import Testing

/// Scans long enough to read ahead on a second thread (past
/// ``LMDBEventLog/recordsBeforeReadingAhead``): the same records, order and failures as
/// reading on the caller's thread alone.
@Suite("LMDB long scans")
struct LMDBLongScanTests {
    static let count = 3 * LMDBEventLog.recordsBeforeReadingAhead + 17

    /// A log of `count` records: traffic, with a control record every 1,000th.
    static func filledLog(in directory: TemporaryDirectory, pageReleaseInterval: Int = 16 << 20) throws -> LMDBEventLog {
        let log = try LMDBEventLog(directory: directory.path, pageReleaseInterval: pageReleaseInterval)
        var batch: [TrafficAppend] = []
        for index in 1 ... count {
            if index % 1_000 == 0 {
                _ = try log.appendTraffic(batch)
                batch.removeAll()
                _ = try log.appendControl([EventLogContractTests.envelope(index)], expectingLastControl: nil)
            } else {
                batch.append(EventLogContractTests.traffic(index))
            }
        }
        _ = try log.appendTraffic(batch)
        return log
    }

    @Test("reading ahead or not, a merged scan yields every record once, in order, and stops when asked")
    func sameRecords() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-long-scan")
        defer { directory.remove() }
        let log = try Self.filledLog(in: directory)
        for readingAhead in [false, true] {
            var sequences: [SequenceNumber] = []
            var controls = 0
            try log.scan(nil, after: 0, readingAhead: readingAhead) { record in
                sequences.append(record.sequence)
                if record.stream == .control { controls += 1 }
                #expect(record.correlationID.hasSuffix("-\(record.sequence)"))
                return true
            }
            #expect(sequences == Array(1 ... SequenceNumber(Self.count)))
            #expect(controls == Self.count / 1_000)

            var traffic: [SequenceNumber] = []
            try log.scan(.traffic, after: 5_000, readingAhead: readingAhead) { record in
                traffic.append(record.sequence)
                return record.sequence < 10_500
            }
            #expect(traffic == (5_001 ... 10_500).filter { $0 % 1_000 != 0 })
        }
    }

    @Test("a corrupt record past the read-ahead point is reported by its sequence after the records before it")
    func corruptionWhileReadingAhead() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-long-scan")
        defer { directory.remove() }
        let damaged = 3 * LMDBEventLog.recordsBeforeReadingAhead / 2 + 1
        do {
            let log = try Self.filledLog(in: directory)
            #expect(try log.verify().isClean)
        }
        // The log is closed: flip a byte of the damaged record's payload in the file (in every
        // copy of its page LMDB left behind, so the live one is among them).
        let file = URL(fileURLWithPath: directory.path + "/data.mdb")
        var bytes = try Data(contentsOf: file)
        let marker = Data("payload \(damaged)".utf8)
        var searchStart = bytes.startIndex
        while let range = bytes.range(of: marker, in: searchStart ..< bytes.endIndex) {
            bytes[range.lowerBound] ^= 0x20
            searchStart = range.upperBound
        }
        #expect(searchStart > bytes.startIndex)
        try bytes.write(to: file)

        let log = try LMDBEventLog(directory: directory.path)
        var delivered: [SequenceNumber] = []
        do {
            try log.scan(nil, after: 0) { record in
                delivered.append(record.sequence)
                return true
            }
            Issue.record("the scan did not report the corrupt record")
        } catch let EventLogError.corruptRecord(sequence, _) {
            #expect(sequence == SequenceNumber(damaged))
        }
        #expect(delivered == Array(1 ..< SequenceNumber(damaged)))
    }
}
