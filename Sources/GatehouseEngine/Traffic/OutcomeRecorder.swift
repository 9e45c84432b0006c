import EventLog
import Foundation
import GatehouseCore

/// Group-commits request outcomes to the traffic stream from one background writer thread.
///
/// ``record(_:)`` never blocks on storage: it encodes the outcome on the caller's thread (so
/// encoding spreads over the proxy's event loops and the writer only commits) into the pending
/// ``TrafficBatch`` of a bounded in-memory queue and returns. A batch is full at `batchSize`
/// outcomes (the next one starts then); the writer takes the full batches and the one being
/// filled, commits each in one transaction and keeps the batches it wrote, emptied, for the
/// next ones — so in the steady state an outcome allocates nothing, and no memory is freed on
/// another thread than the one that took it.
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
        /// The batch being filled, and the full ones before it.
        var filling = TrafficBatch()
        var full: [TrafficBatch] = []
        /// Written batches, emptied, to fill next.
        var spares: [TrafficBatch] = []
        /// Outcomes in `full` and `filling`.
        var waiting = 0
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
        condition.lock()
        defer { condition.unlock() }
        guard !queue.stopping, queue.waiting < configuration.queueCapacity else {
            queue.statistics.dropped += 1
            queue.droppedSinceReport += 1
            queue.firstDropAt = queue.firstDropAt ?? outcome.startTime
            queue.lastDropAt = outcome.startTime
            return false
        }
        outcome.append(to: queue.filling)
        queue.waiting += 1
        queue.statistics.queued += 1
        if queue.filling.count >= configuration.batchSize {
            queue.full.append(queue.filling)
            queue.filling = queue.spares.popLast() ?? TrafficBatch()
            condition.signal()
        }
        return true
    }

    /// Current counters.
    public var statistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        var statistics = queue.statistics
        statistics.pending = queue.waiting
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
            while !queue.stopping, queue.full.isEmpty, Date() < deadline {
                _ = condition.wait(until: deadline)
            }
            var batches = queue.full
            queue.full.removeAll()
            if !queue.filling.isEmpty {
                batches.append(queue.filling)
                queue.filling = queue.spares.popLast() ?? TrafficBatch()
            }
            queue.waiting = 0
            let stopping = queue.stopping
            let dropped = queue.droppedSinceReport
            let dropWindow = (queue.firstDropAt, queue.lastDropAt)
            queue.droppedSinceReport = 0
            queue.firstDropAt = nil
            queue.lastDropAt = nil
            condition.unlock()

            for batch in batches {
                write(batch)
                batch.removeAll()
            }
            condition.lock()
            // Two kept (the next to fill and one more) cover a writer that keeps up.
            queue.spares += batches.prefix(max(0, 2 - queue.spares.count))
            condition.unlock()
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

    /// Commits `batch` in one transaction.
    private func write(_ batch: TrafficBatch) {
        guard !batch.isEmpty else { return }
        let began = DispatchTime.now().uptimeNanoseconds
        let succeeded = (try? log.appendTraffic(batch)) != nil
        let micros = Int64((DispatchTime.now().uptimeNanoseconds - began) / 1000)
        condition.lock()
        if succeeded {
            queue.statistics.written += batch.count
            queue.statistics.commits += 1
            queue.statistics.lastCommitMicros = micros
        } else if let span = batch.timeSpan {
            // A failed commit is a gap like an overflow: counted and reported with the next flush.
            queue.statistics.writeFailures += 1
            queue.statistics.dropped += batch.count
            queue.droppedSinceReport += batch.count
            let (first, last) = (Timestamp(microseconds: span.first), Timestamp(microseconds: span.last))
            queue.firstDropAt = min(queue.firstDropAt ?? first, first)
            queue.lastDropAt = max(queue.lastDropAt ?? last, last)
        }
        condition.unlock()
    }

    private func reportDrops(_ dropped: OutcomesDropped) {
        guard let envelope = try? ControlEvent.outcomesDropped(dropped).envelope(
            at: dropped.to, correlationID: "outcome-recorder", actor: "system:outcome-recorder"
        ) else { return }
        _ = try? log.appendControl([envelope], expectingLastControl: nil)
    }
}
