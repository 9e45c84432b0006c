import EventLog
import Foundation
import GatehouseCore

/// Group-commits request outcomes to the traffic stream from one background writer thread.
///
/// ``record(_:)`` never blocks on storage: it encodes the outcome on the caller's thread (so
/// encoding spreads over the proxy's event loops and the writer only commits), appends it to a
/// bounded in-memory queue and returns.
/// When the queue is full the outcome is dropped and counted; the writer records every such gap
/// as an ``OutcomesDropped`` control event. A batch commits when `batchSize` outcomes are queued
/// or `flushInterval` has passed, so a crash loses at most one interval of traffic.
public final class OutcomeRecorder: Sendable {
    /// Batching and queue limits.
    public struct Configuration: Sendable {
        /// Outcomes per transaction.
        public var batchSize: Int
        /// Longest time an outcome waits in the queue before its batch commits.
        public var flushInterval: Duration
        /// Queue bound; outcomes beyond it are dropped and counted.
        public var queueCapacity: Int

        public init(batchSize: Int = 1000, flushInterval: Duration = .milliseconds(500), queueCapacity: Int = 100_000) {
            self.batchSize = batchSize
            self.flushInterval = flushInterval
            self.queueCapacity = queueCapacity
        }
    }

    /// Counters for metrics and tests.
    public struct Statistics: Sendable, Equatable {
        public var queued = 0
        public var written = 0
        public var dropped = 0
        public var commits = 0
        public var writeFailures = 0
        /// Duration of the last batch commit, µs.
        public var lastCommitMicros: Int64 = 0
        /// Outcomes waiting for the writer now.
        public var pending = 0
    }

    private struct Queue {
        var pending: [TrafficAppend] = []
        var statistics = Statistics()
        var droppedSinceReport = 0
        var firstDropAt: Timestamp?
        var lastDropAt: Timestamp?
        var stopping = false
        var stopped = false
    }

    private let log: any EventLog
    private let configuration: Configuration
    private let condition = NSCondition()
    // nonisolated(unsafe): `queue` is only read or written while `condition` is locked.
    nonisolated(unsafe) private var queue = Queue()

    /// Starts the writer thread.
    public init(log: any EventLog, configuration: Configuration = Configuration()) {
        self.log = log
        self.configuration = configuration
        let thread = Thread { [self] in self.runWriter() }
        thread.name = "gatehouse-outcome-writer"
        thread.start()
    }

    /// Queues an outcome. Returns `false` (and counts it) when the queue is full or stopped.
    @discardableResult
    public func record(_ outcome: RequestCompleted) -> Bool {
        let append = outcome.trafficAppend()
        condition.lock()
        defer { condition.unlock() }
        guard !queue.stopping, queue.pending.count < configuration.queueCapacity else {
            queue.statistics.dropped += 1
            queue.droppedSinceReport += 1
            queue.firstDropAt = queue.firstDropAt ?? outcome.startTime
            queue.lastDropAt = outcome.startTime
            return false
        }
        queue.pending.append(append)
        queue.statistics.queued += 1
        if queue.pending.count >= configuration.batchSize { condition.signal() }
        return true
    }

    /// Current counters.
    public var statistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        var statistics = queue.statistics
        statistics.pending = queue.pending.count
        return statistics
    }

    /// Commits everything queued, stops the writer and waits for it. Later outcomes are dropped.
    public func shutdown() {
        condition.lock()
        queue.stopping = true
        condition.broadcast()
        while !queue.stopped { condition.wait() }
        condition.unlock()
    }

    private func runWriter() {
        let interval = Double(configuration.flushInterval.components.seconds)
            + Double(configuration.flushInterval.components.attoseconds) / 1e18
        var deadline = Date().addingTimeInterval(interval)
        while true {
            condition.lock()
            while !queue.stopping, queue.pending.count < configuration.batchSize, Date() < deadline {
                _ = condition.wait(until: deadline)
            }
            let batch = queue.pending
            queue.pending.removeAll(keepingCapacity: true)
            let stopping = queue.stopping
            let dropped = queue.droppedSinceReport
            let dropWindow = (queue.firstDropAt, queue.lastDropAt)
            queue.droppedSinceReport = 0
            queue.firstDropAt = nil
            queue.lastDropAt = nil
            condition.unlock()

            write(batch)
            if dropped > 0, let from = dropWindow.0, let to = dropWindow.1 {
                reportDrops(OutcomesDropped(count: dropped, from: from, to: to))
            }
            deadline = Date().addingTimeInterval(interval)
            if stopping {
                condition.lock()
                queue.stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }

    private func write(_ batch: [TrafficAppend]) {
        var start = batch.startIndex
        while start < batch.endIndex {
            let end = min(start + configuration.batchSize, batch.endIndex)
            let appends = Array(batch[start ..< end])
            let began = DispatchTime.now().uptimeNanoseconds
            let succeeded = (try? log.appendTraffic(appends)) != nil
            let micros = Int64((DispatchTime.now().uptimeNanoseconds - began) / 1000)
            condition.lock()
            if succeeded {
                queue.statistics.written += appends.count
                queue.statistics.commits += 1
                queue.statistics.lastCommitMicros = micros
            } else {
                // A failed commit is a gap like an overflow: counted and reported with the next flush.
                queue.statistics.writeFailures += 1
                queue.statistics.dropped += appends.count
                queue.droppedSinceReport += appends.count
                let first = Timestamp(microseconds: batch[start].timestamp)
                let last = Timestamp(microseconds: batch[end - 1].timestamp)
                queue.firstDropAt = min(queue.firstDropAt ?? first, first)
                queue.lastDropAt = max(queue.lastDropAt ?? last, last)
            }
            condition.unlock()
            start = end
        }
    }

    private func reportDrops(_ dropped: OutcomesDropped) {
        guard let envelope = try? ControlEvent.outcomesDropped(dropped).envelope(
            at: dropped.to, correlationID: "outcome-recorder", actor: "system:outcome-recorder"
        ) else { return }
        _ = try? log.appendControl([envelope], expectingLastControl: nil)
    }
}
