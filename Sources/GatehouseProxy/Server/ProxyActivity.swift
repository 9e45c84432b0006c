import Synchronization

/// Requests in flight across all loops, and whether the proxy is draining for shutdown.
public final class ProxyActivity: Sendable {
    private let inFlight = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)

    public init() {}

    /// Requests started and not yet answered.
    public var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Set once shutdown begins: responses then carry `Connection: close`.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    func requestStarted() { inFlight.add(1, ordering: .relaxed) }

    func requestFinished() { inFlight.subtract(1, ordering: .relaxed) }

    func beginDraining() { draining.store(true, ordering: .relaxed) }
}
