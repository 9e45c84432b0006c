import Dispatch
import GatehouseCore
import Synchronization

/// The current ``JWTKeyRing``, read by the event loops and rebuilt in the background when the
/// configuration changes (checked every 250 ms; the first ring is built before the proxy
/// listens).
final class JWTKeyRingStore: Sendable {
    private let ring = Mutex(JWTKeyRing.empty)
    private let refresher = Mutex<Task<Void, Never>?>(nil)

    /// The ring in use.
    var current: JWTKeyRing { ring.withLock { $0 } }

    /// Builds the first ring (blocking the caller) and starts following `snapshot`; `report`
    /// hears of keys that could not be built.
    func start(snapshot: @escaping @Sendable () -> ConfigSnapshot, report: @escaping @Sendable (String) -> Void) {
        let built = DispatchSemaphore(value: 0)
        let task = Task.detached { [self] in
            var first = true
            while !Task.isCancelled {
                let current = snapshot()
                if first || current.sequence != ring.withLock({ $0.sequence }) {
                    let rebuilt = await JWTKeyRing.build(for: current)
                    ring.withLock { $0 = rebuilt }
                    for problem in rebuilt.problems { report(problem) }
                    if first {
                        first = false
                        built.signal()
                    }
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        refresher.withLock { $0 = task }
        built.wait()
    }

    func stop() {
        refresher.withLock { task in
            task?.cancel()
            task = nil
        }
    }
}
