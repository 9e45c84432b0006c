import Synchronization

/// The failure switches of a demo upstream, changed at start (flags) or at run time
/// (`PUT /_demo/behaviour`), so a test can make one instance slow, failing or dead mid-load.
struct DemoBehaviour: Sendable, Codable, Equatable {
    var latencyMS: Int
    var errorRate: Double
    var dropRate: Double

    enum CodingKeys: String, CodingKey {
        case latencyMS = "latency_ms", errorRate = "error_rate", dropRate = "drop_rate"
    }
}

/// The live switches, shared by the server's event loops.
final class DemoSwitches: Sendable {
    private let current: Mutex<DemoBehaviour>

    init(_ behaviour: DemoBehaviour) { current = Mutex(behaviour) }

    var behaviour: DemoBehaviour {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
