import Dispatch
import Synchronization

/// Runs `body` every `interval` seconds on its own queue until shut down; an error is logged
/// as `event` and the next run goes ahead.
final class PeriodicTask: Sendable {
    private let queue: DispatchQueue
    private let interval: DispatchTimeInterval
    private let body: @Sendable () throws -> Void
    private let event: String
    private let stopped = Atomic<Bool>(false)

    init(label: String, intervalSeconds: Int, errorEvent event: String, _ body: @escaping @Sendable () throws -> Void) {
        queue = DispatchQueue(label: label)
        interval = .seconds(max(1, intervalSeconds))
        self.body = body
        self.event = event
        schedule()
    }

    /// Stops the schedule, waiting for a run in progress.
    func shutdown() {
        stopped.store(true, ordering: .relaxed)
        queue.sync {}
    }

    private func schedule() {
        queue.asyncAfter(deadline: .now() + interval) { [self] in
            guard !stopped.load(ordering: .relaxed) else { return }
            do { try body() } catch { StartupLog.write(["event": event, "message": "\(error)"]) }
            schedule()
        }
    }
}
