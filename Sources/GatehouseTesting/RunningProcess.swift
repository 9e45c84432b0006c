import Foundation
import Synchronization

/// A child process that keeps running while a test talks to it; its stdout is collected line
/// by line so the test can wait for a start-up line.
public final class RunningProcess: Sendable {
    private let process: Process
    private let collector = LineCollector()
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments`, and `environment` added to this process's.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        self.process = process
        output.fileHandleForReading.readabilityHandler = { [collector] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                collector.append(data)
            }
        }
        try process.run()
    }

    /// Every stdout line so far.
    public var output: [String] { collector.lines }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Waits (up to `timeout` seconds) for a stdout line containing `text`.
    public func waitForLine(containing text: String, timeout: Double = 30) throws -> String {
        var deadline = Date().addingTimeInterval(timeout)
        var exited = false
        while Date() < deadline {
            if let line = output.first(where: { $0.contains(text) }) { return line }
            if !exited, !isRunning {
                exited = true  // give the pipe a moment to deliver the last lines
                deadline = min(deadline, Date().addingTimeInterval(1))
            }
            collector.waitForMore(until: min(deadline, Date().addingTimeInterval(0.2)))
        }
        throw ProcessWaitError(message: "no line containing '\(text)' within \(timeout) s; got: \(output)")
    }

    /// Sends SIGTERM and waits (up to `timeout` seconds, then SIGKILL) for the exit; returns
    /// the exit status, or -1 when it had to be killed.
    @discardableResult
    public func terminate(timeout: Double = 30) -> Int32 {
        signal(SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = reap(blocking: false) { return status }
            usleep(10_000)
        }
        kill()
        return -1
    }

    /// Sends SIGKILL and waits.
    public func kill() {
        signal(SIGKILL)
        _ = reap(blocking: true)
    }

    private func signal(_ number: Int32) {
        if exitStatus.withLock({ $0 }) == nil { _ = Foundation.kill(pid, number) }
    }

    /// Reaps the child with `waitpid` (Foundation's own child monitoring is not relied on:
    /// it was seen to leave exited children unreaped while tests wait).
    private func reap(blocking: Bool) -> Int32? {
        exitStatus.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid {
                known = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -(status & 0x7F)
            } else if result < 0 {
                // Foundation reaped it first: its status is known once it notices.
                var waits = 0
                while process.isRunning, waits < 500 {
                    usleep(2_000)
                    waits += 1
                }
                known = process.isRunning ? -1 : process.terminationStatus
            }
            return known
        }
    }

    /// Peak resident memory (VmHWM) in bytes, from `/proc`.
    public var peakResidentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else { return nil }
        return kilobytes * 1024
    }

    deinit {
        kill()
    }
}

/// A child process never printed what a test waited for.
public struct ProcessWaitError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Splits a child's stdout into lines and wakes waiters when lines arrive.
private final class LineCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var partial = Data()
    private var complete: [String] = []

    var lines: [String] {
        condition.lock()
        defer { condition.unlock() }
        return complete
    }

    func append(_ data: Data) {
        condition.lock()
        defer { condition.unlock() }
        partial.append(data)
        while let newline = partial.firstIndex(of: 10) {
            complete.append(String(decoding: partial[partial.startIndex ..< newline], as: UTF8.self))
            partial.removeSubrange(partial.startIndex ... newline)
        }
        condition.broadcast()
    }

    func waitForMore(until deadline: Date) {
        condition.lock()
        _ = condition.wait(until: deadline)
        condition.unlock()
    }
}
