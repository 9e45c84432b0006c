import Synchronization

/// The failure switches of a demo upstream, changed at start (flags) or at run time
/// (`PUT /_demo/behaviour`), so a test can make one instance slow, failing or dead mid-load.
struct DemoBehaviour: Sendable, Codable, Equatable {
    var latencyMS: Int
    var errorRate: Double
    var dropRate: Double
    /// The status of injected failures.
    var errorStatus: Int = 500

    enum CodingKeys: String, CodingKey {
        case latencyMS = "latency_ms", errorRate = "error_rate", dropRate = "drop_rate", errorStatus = "error_status"
    }

    init(latencyMS: Int, errorRate: Double, dropRate: Double, errorStatus: Int = 500) {
        self.latencyMS = latencyMS
        self.errorRate = errorRate
        self.dropRate = dropRate
        self.errorStatus = errorStatus
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        latencyMS = try container.decodeIfPresent(Int.self, forKey: .latencyMS) ?? 0
        errorRate = try container.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
        dropRate = try container.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0
        errorStatus = try container.decodeIfPresent(Int.self, forKey: .errorStatus) ?? 500
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
