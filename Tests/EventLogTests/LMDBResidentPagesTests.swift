import EventLog
import EventLogLMDB
import Foundation
import GatehouseTesting
import Testing

/// ``LMDBEventLog/releaseResidentPages()``: the pages a scan mapped in stop counting as the
/// process's memory, and every record reads back the same afterwards.
@Suite("LMDB resident pages")
struct LMDBResidentPagesTests {
    @Test("after a scan the log's pages are resident; released, none are, and a second scan reads the same records")
    func releaseAfterScan() throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-resident-pages")
        defer { directory.remove() }
        let log = try LMDBLongScanTests.filledLog(in: directory)
        let dataFile = directory.path + "/data.mdb"

        let first = try Self.correlationIDs(of: log)
        let scanned = try Self.residentKilobytes(mappedFrom: dataFile)
        #expect(first.count == LMDBLongScanTests.count)
        // Every record was read through the map: at least its bytes' worth of pages is resident.
        #expect(scanned * 1024 >= first.reduce(0) { $0 + $1.utf8.count })

        log.releaseResidentPages()
        #expect(try Self.residentKilobytes(mappedFrom: dataFile) == 0)

        #expect(try Self.correlationIDs(of: log) == first)
        #expect(try Self.residentKilobytes(mappedFrom: dataFile) > 0)
    }

    @Test(
        "a long read gives back the pages it has passed: at its end under half of the log is resident, not all of it, and every record read is whole",
        arguments: ["scan", "scan reading ahead", "backward scan", "verify"]
    )
    func releaseWhileReading(read: String) throws {
        let directory = try TemporaryDirectory(prefix: "gatehouse-passed-pages")
        defer { directory.remove() }
        let interval = 16 << 10
        let log = try LMDBLongScanTests.filledLog(in: directory, pageReleaseInterval: interval)
        let dataFile = directory.path + "/data.mdb"
        log.releaseResidentPages()

        // Every record read while pages are released under it is whole: its id names its sequence.
        var records = 0, intact = 0
        func count(_ record: RecordView) -> Bool {
            records += 1
            if record.correlationID.hasSuffix("-\(record.sequence)") { intact += 1 }
            return true
        }
        switch read {
        case "verify":
            let report = try log.verify()
            #expect(report.isClean)
            records = report.validRecords.values.reduce(0, +)
        case "backward scan":
            try log.scanBackward(.traffic, before: .max, body: count)
            #expect(intact == records)
        default:
            try log.scan(nil, after: 0, readingAhead: read == "scan reading ahead", body: count)
            #expect(intact == records)
        }
        let resident = try Self.residentKilobytes(mappedFrom: dataFile) * 1024
        let fileBytes = try #require(try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int)
        #expect(records >= LMDBLongScanTests.count * 999 / 1000)
        // Resident at the end: what was read since the last release, and — reading ahead — the
        // pages of the last few batches, which the caller maps again after the helper released
        // them (with the kernel's fault-around). Without releases: the whole file.
        #expect(resident < fileBytes / 2)
    }

    @Test("a log kept in memory has nothing to release and stays whole")
    func inMemory() throws {
        let log = InMemoryEventLog()
        _ = try log.appendTraffic([EventLogContractTests.traffic(1), EventLogContractTests.traffic(2)])
        log.releaseResidentPages()
        #expect(try log.read(.traffic, after: 0).map(\.sequence) == [1, 2])
    }

    /// Every record's correlation id, in order, read on the calling thread.
    static func correlationIDs(of log: LMDBEventLog) throws -> [String] {
        var ids: [String] = []
        try log.scan(nil, after: 0, readingAhead: false) { record in
            ids.append(record.correlationID)
            return true
        }
        return ids
    }

    /// The kilobytes of this process's mappings of `file` that are resident (`/proc/self/smaps`).
    static func residentKilobytes(mappedFrom file: String) throws -> Int {
        // Read to its end: a /proc file reports no size, so readers that trust the size get nothing.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { throw CocoaError(.fileReadNoPermission) }
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var total = 0
        var inFile = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let first = fields.first else { continue }
            if !first.hasSuffix(":") {  // a mapping's first line: address range, …, path
                inFile = fields.count >= 6 && fields[5...].joined(separator: " ") == file
            } else if inFile, first == "Rss:", fields.count >= 2, let kilobytes = Int(fields[1]) {
                total += kilobytes
            }
        }
        return total
    }
}
