import GatehouseCore
import Synchronization

/// The latest active health check of every instance, shared with readers outside the event
/// loops (the admin API's health endpoint).
public final class HealthObservations: Sendable {
    private let latest = Mutex<[BackendServiceID: HealthObservation]>([:])

    public init() {}

    /// Every instance's last check.
    public var all: [BackendServiceID: HealthObservation] { latest.withLock { $0 } }

    func record(_ observation: HealthObservation, for instance: BackendServiceID) {
        latest.withLock { $0[instance] = observation }
    }

    func forget(_ instance: BackendServiceID) {
        _ = latest.withLock { $0.removeValue(forKey: instance) }
    }
}
