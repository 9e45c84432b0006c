import ArgumentParser

/// `gatehouse bench …`: measurements, not tests.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (build with -c release for meaningful figures).",
        subcommands: [BenchLog.self, BenchLimiter.self, BenchMetrics.self]
    )
}
