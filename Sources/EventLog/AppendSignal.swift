import Synchronization

/// Wakes tails when this process appends, so they need not wait for their next poll.
/// (Appends from other processes are found by polling.)
public final class AppendSignal: Sendable {
    private struct Waiters {
        var nextID = 0
        var continuations: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let waiters = Mutex(Waiters())

    public init() {}

    /// Wakes every waiter.
    public func signal() {
        let woken = waiters.withLock { waiters in
            defer { waiters.continuations.removeAll() }
            return Array(waiters.continuations.values)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns after the next ``signal()``, after `timeout`, or on cancellation, whichever is first.
    public func wait(timeout: Duration) async {
        let id = waiters.withLock { waiters in
            defer { waiters.nextID += 1 }
            return waiters.nextID
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = waiters.withLock { waiters in
                    if Task.isCancelled { return true }
                    waiters.continuations[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            resume(id)
        }
        timer.cancel()
    }

    private func resume(_ id: Int) {
        let continuation = waiters.withLock { $0.continuations.removeValue(forKey: id) }
        continuation?.resume()
    }
}
