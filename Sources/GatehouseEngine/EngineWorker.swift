import Dispatch
import Foundation
import GatehouseCore
import Synchronization

/// Serial background work on an engine for a running gateway, so event loops never wait on a
/// durable append: recording operational facts (breaker transitions, health changes) and
/// following config changes that other processes (`gatehouse config apply`) append to the log.
public final class EngineWorker: Sendable {
    private let engine: GatehouseEngine
    private let actor: String
    private let queue = DispatchQueue(label: "gatehouse.engine-worker")
    private let followInterval: DispatchTimeInterval
    private let stopped = Atomic<Bool>(false)
    private let onError: @Sendable (String) -> Void

    /// Starts following the log every `followInterval`.
    public init(
        engine: GatehouseEngine, actor: String = "gatehouse-proxy", followInterval: Duration = .milliseconds(500),
        onError: @escaping @Sendable (String) -> Void
    ) {
        self.engine = engine
        self.actor = actor
        self.onError = onError
        let (seconds, attoseconds) = followInterval.components
        self.followInterval = .nanoseconds(Int(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        scheduleFollow()
    }

    private func scheduleFollow() {
        queue.asyncAfter(deadline: .now() + followInterval) { [self] in
            guard !stopped.load(ordering: .relaxed) else { return }
            do { try engine.refresh() } catch { onError("following the log failed: \(error)") }
            scheduleFollow()
        }
    }

    /// Queues facts for a durable append; returns at once.
    public func record(_ facts: [ControlEvent]) {
        queue.async { [engine, actor, onError] in
            do { _ = try engine.record(facts, time: .now(), actor: actor) } catch { onError("recording \(facts.count) fact(s) failed: \(error)") }
        }
    }

    /// Stops following and waits for queued facts to be written.
    public func shutdown() {
        stopped.store(true, ordering: .relaxed)
        queue.sync {}
    }
}
