import Synchronization

/// Requests the demo upstream is working on (health checks and `/_demo` aside), and the most it
/// has had at once (`GET /_demo/stats`): lets a test see the gateway's per-instance connection cap.
final class DemoLoad: Sendable {
    private struct Counts {
        var inFlight = 0
        var peak = 0
    }

    private let counts = Mutex(Counts())

    func started() {
        counts.withLock { counts in
            counts.inFlight += 1
            counts.peak = max(counts.peak, counts.inFlight)
        }
    }

    func finished() {
        counts.withLock { $0.inFlight -= 1 }
    }

    /// `(in flight, peak)`.
    var snapshot: (inFlight: Int, peak: Int) {
        counts.withLock { ($0.inFlight, $0.peak) }
    }
}
