/// A service as a route sends to it: its name and every instance that shares it, sorted by
/// priority then URL.
public struct ServicePool: Sendable {
    public let name: String
    public let instances: [BackendService]

    public init(name: String, instances: [BackendService]) {
        self.name = name
        self.instances = instances
    }
}
