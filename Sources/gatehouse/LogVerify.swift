import ArgumentParser

/// `gatehouse log verify`
struct LogVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the CRC and envelope of every record; exit 1 naming each corrupt sequence."
    )

    @OptionGroup var options: DataOptions

    func run() async throws {
        let report = try options.openLog().verify()
        let valid = report.validRecords.values.reduce(0, +)
        if report.isClean {
            print("ok: \(valid.grouped) records verified, none corrupt")
            return
        }
        for record in report.corruptRecords {
            print("corrupt: sequence \(record.sequence) (\(record.stream)): \(record.reason)")
        }
        throw ValidationFailure("\(report.corruptRecords.count) corrupt record(s), \(valid.grouped) sound")
    }
}
