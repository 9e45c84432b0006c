import GatehouseCore

/// What the proxy needs from the rest of Gatehouse, as closures so the data plane depends on the
/// domain core only: the current snapshot, and where outcomes and operational facts go.
///
/// All are called on event loops and must not block: `snapshot` returns the published snapshot
/// (each loop caches it and calls again only when `snapshotGeneration` moved), `recordOutcome` hands the outcome to the batched log writer, and `recordFacts`
/// queues circuit-breaker and health facts for a durable append off the loop.
public struct ProxyEnvironment: Sendable {
    public var snapshot: @Sendable () -> ConfigSnapshot
    /// Moves whenever `snapshot` would return a new value; read per request, without a lock.
    public var snapshotGeneration: @Sendable () -> UInt64
    public var recordOutcome: @Sendable (RequestCompleted) -> Void
    public var recordFacts: @Sendable ([ControlEvent]) -> Void
    /// Wall-clock time for outcome timestamps and breaker deadlines.
    public var now: @Sendable () -> Timestamp
    /// Hears about configuration the proxy could not use (e.g. a JWT key), for the operator's log.
    public var report: @Sendable (String) -> Void

    public init(
        snapshot: @escaping @Sendable () -> ConfigSnapshot,
        snapshotGeneration: @escaping @Sendable () -> UInt64,
        recordOutcome: @escaping @Sendable (RequestCompleted) -> Void,
        recordFacts: @escaping @Sendable ([ControlEvent]) -> Void,
        now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }, report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.report = report
        self.snapshot = snapshot
        self.snapshotGeneration = snapshotGeneration
        self.recordOutcome = recordOutcome
        self.recordFacts = recordFacts
        self.now = now
    }
}
