/// TLS for a gateway's listener (`ssl_config`).
public struct SSLConfig: Codable, Sendable, Hashable {
    public var enabled: Bool
    public var certificatePath: String?
    public var privateKeyPath: String?

    enum CodingKeys: String, CodingKey {
        case enabled
        case certificatePath = "certificate_path"
        case privateKeyPath = "private_key_path"
    }

    public init(enabled: Bool = false, certificatePath: String? = nil, privateKeyPath: String? = nil) {
        self.enabled = enabled
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decode(.enabled, default: false)
        certificatePath = try container.decodeIfPresent(String.self, forKey: .certificatePath)
        privateKeyPath = try container.decodeIfPresent(String.self, forKey: .privateKeyPath)
    }
}
