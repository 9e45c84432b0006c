extension EventLog {
    /// Follows the log: yields every record of `stream` after `after`, then each new one as it
    /// is appended (woken by this process's appends, polling for other processes'), until the
    /// consumer stops iterating. A corrupt record ends the sequence with its error.
    public func tail(
        _ stream: EventStream?, after: SequenceNumber, pollInterval: Duration = .milliseconds(200), batchSize: Int = 512
    ) -> AsyncThrowingStream<RecordedEvent, any Error> {
        AsyncThrowingStream { continuation in
            let follower = Task {
                var position = after
                do {
                    while !Task.isCancelled {
                        let batch = try read(stream, after: position, limit: batchSize)
                        for event in batch { continuation.yield(event) }
                        if let last = batch.last {
                            position = last.sequence
                        }
                        if batch.count < batchSize {
                            await appendSignal.wait(timeout: pollInterval)
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in follower.cancel() }
        }
    }
}
