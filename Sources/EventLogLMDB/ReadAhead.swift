import Foundation

/// Reading ahead on a second thread: `produce` runs on a helper thread while the calling
/// thread runs `consume` on what it made, in order, handed over in batches. A long replay
/// splits this way into reading + CRC-checking (the producer) and decoding + folding (the
/// caller), each on its own core.
///
/// `@unchecked Sendable`: the producer's state (`produce` and what it captures) is used only
/// by the helper thread from its start until it finishes, the batches only by the side that
/// holds them (handed over under `condition`), and ``run(batchSize:depth:produce:consume:)``
/// returns only after the helper thread has finished — so elements may point into storage
/// (a read transaction) that ends when it returns.
final class ReadAhead<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private let produce: () throws -> Element?
    private let batchSize: Int
    /// Batches made, oldest first.
    private var filled: [[Element]] = []
    /// Batches consumed, to be reused.
    private var emptied: [[Element]]
    private var failure: (any Error)?
    private var producerFinished = false
    private var consumerStopped = false

    private init(batchSize: Int, depth: Int, produce: @escaping () throws -> Element?) {
        self.batchSize = batchSize
        self.produce = produce
        emptied = Array(repeating: [], count: depth)
    }

    /// Calls `consume` with every element `produce` makes, in order, until `produce` returns
    /// nil, `consume` returns false, or either throws (an error of `produce` after the elements
    /// made before it). At most `depth` batches of `batchSize` are made ahead.
    static func run(batchSize: Int = 1024, depth: Int = 4, produce: @escaping () throws -> Element?, consume: (Element) throws -> Bool) throws {
        let pipe = ReadAhead(batchSize: batchSize, depth: depth, produce: produce)
        Thread { pipe.produceAll() }.start()
        defer { pipe.stopAndWait() }
        try pipe.consumeAll(consume)
    }

    private func produceAll() {
        while true {
            condition.lock()
            while emptied.isEmpty, !consumerStopped { condition.wait() }
            guard !consumerStopped else {
                producerFinished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            var batch = emptied.removeLast()
            condition.unlock()

            batch.removeAll(keepingCapacity: true)
            var ended = false
            var error: (any Error)?
            do {
                while batch.count < batchSize {
                    guard let element = try produce() else {
                        ended = true
                        break
                    }
                    batch.append(element)
                }
            } catch let thrown {
                error = thrown
                ended = true
            }

            condition.lock()
            filled.append(batch)
            if ended {
                failure = error
                producerFinished = true
            }
            condition.broadcast()
            condition.unlock()
            if ended { return }
        }
    }

    private func consumeAll(_ consume: (Element) throws -> Bool) throws {
        while true {
            condition.lock()
            while filled.isEmpty, !producerFinished { condition.wait() }
            guard !filled.isEmpty else {
                let failure = failure
                condition.unlock()
                if let failure { throw failure }
                return
            }
            let batch = filled.removeFirst()
            condition.unlock()

            for element in batch { guard try consume(element) else { return } }

            condition.lock()
            emptied.append(batch)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Asks the producer to stop after its current batch and waits until it has.
    private func stopAndWait() {
        condition.lock()
        consumerStopped = true
        condition.broadcast()
        while !producerFinished { condition.wait() }
        condition.unlock()
    }
}
