/// A gateway's upstream timeouts in milliseconds (`timeout_config`).
public struct TimeoutConfig: Codable, Sendable, Hashable {
    public var connect: Int
    public var read: Int
    public var write: Int

    public init(connect: Int = 5000, read: Int = 30000, write: Int = 10000) {
        self.connect = connect
        self.read = read
        self.write = write
    }

    public init(from decoder: any Decoder) throws {
        let defaults = TimeoutConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        connect = try container.decode(.connect, default: defaults.connect)
        read = try container.decode(.read, default: defaults.read)
        write = try container.decode(.write, default: defaults.write)
    }
}
