import Foundation
import Testing

@testable import EventLogLMDB

/// The two-thread hand-over behind long LMDB scans: order, early stops and errors.
@Suite("read ahead")
struct ReadAheadTests {
    struct Failure: Error, Equatable { let at: Int }

    /// A producer of 0, 1, 2, … up to `limit` (nil after), throwing at `failing`, counting what it made.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        let limit: Int
        let failing: Int?
        init(limit: Int, failing: Int? = nil) { (self.limit, self.failing) = (limit, failing) }
        var made: Int { lock.withLock { next } }
        func produce() throws -> Int? {
            try lock.withLock {
                if next == failing { throw Failure(at: next) }
                guard next < limit else { return nil }
                defer { next += 1 }
                return next
            }
        }
    }

    @Test("every element arrives once, in order, across many small batches")
    func order() throws {
        let counter = Counter(limit: 10_000)
        var seen: [Int] = []
        try ReadAhead.run(batchSize: 7, depth: 2, produce: counter.produce) { element in
            seen.append(element)
            return true
        }
        #expect(seen == Array(0 ..< 10_000))
    }

    @Test("a consumer that stops early stops the producer within the batches ahead")
    func earlyStop() throws {
        let counter = Counter(limit: 1_000_000)
        var seen = 0
        try ReadAhead.run(batchSize: 16, depth: 3, produce: counter.produce) { _ in
            seen += 1
            return seen < 500
        }
        #expect(seen == 500)
        // What was consumed, the batch in hand and at most the batches ahead (+ one being made).
        #expect(counter.made <= 500 + 16 * 5)
    }

    @Test("a producer's error arrives after everything made before it")
    func producerError() throws {
        let counter = Counter(limit: 10_000, failing: 1_234)
        var seen: [Int] = []
        #expect(throws: Failure(at: 1_234)) {
            try ReadAhead.run(batchSize: 100, depth: 4, produce: counter.produce) { element in
                seen.append(element)
                return true
            }
        }
        #expect(seen == Array(0 ..< 1_234))
    }

    @Test("a consumer's error ends the run and stops the producer")
    func consumerError() throws {
        let counter = Counter(limit: 1_000_000)
        #expect(throws: Failure(at: 42)) {
            try ReadAhead.run(batchSize: 10, depth: 2, produce: counter.produce) { element in
                if element == 42 { throw Failure(at: 42) }
                return true
            }
        }
        #expect(counter.made <= 42 + 10 * 4)
    }
}
