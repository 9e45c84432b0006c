import ArgumentParser
import Foundation
import GatehouseProxy

/// `gatehouse bench limiter`: the cost of one rate-limit check with many active keys.
struct BenchLimiter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limiter",
        abstract: "Median ns per limiter check (six rules, random keys) vs a locked dictionary increment.",
        discussion: """
            Prints a table, then one JSON line {"check_ns": N, "one_rule_ns": O, "fields_ns": F, "record_ns": E, "baseline_ns": M, "ratio": R, \
            "floor_ns": L, "state_mb": S}: L is one read at a random place in S MB, the size of the limiter's state for these keys.
            """
    )

    @Option(help: "Active keys.") var keys = 100_000
    @Option(help: "Checks to time.") var checks = 2_000_000

    func run() throws {
        guard keys > 0, checks > 0 else { throw ValidationFailure("--keys and --checks must be positive") }
        let result = LimiterBenchmark.run(keys: keys, checks: checks)
        let ratio = result.checkNanos / max(result.baselineNanos, 0.001)
        var table = TextTable("measurement", "median ns/op")
        table.add("limiter check (6 rules, \(keys) keys)", String(format: "%.0f", result.checkNanos))
        table.add("limiter check (1 rule, \(keys) keys)", String(format: "%.0f", result.oneRuleNanos))
        table.add("its response fields (6 rules)", String(format: "%.0f", result.fieldsNanos))
        table.add("its evaluations in the outcome record (6 rules)", String(format: "%.0f", result.recordNanos))
        table.add("baseline: locked dictionary increment", String(format: "%.0f", result.baselineNanos))
        table.add("ratio", String(format: "%.2f×", ratio))
        table.add(String(format: "floor: one random read in %.0f MB", result.stateMegabytes), String(format: "%.0f", result.floorNanos))
        print(table.rendered)
        print(#"{"check_ns": \#(Int(result.checkNanos.rounded())), "one_rule_ns": \#(Int(result.oneRuleNanos.rounded())), "fields_ns": \#(Int(result.fieldsNanos.rounded())), "record_ns": \#(Int(result.recordNanos.rounded())), "baseline_ns": \#(Int(result.baselineNanos.rounded())), "ratio": \#(String(format: "%.2f", ratio)), "floor_ns": \#(Int(result.floorNanos.rounded())), "state_mb": \#(Int(result.stateMegabytes.rounded()))}"#)
    }
}
