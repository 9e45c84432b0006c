import Foundation

/// A route's `request_signing` middleware step: requests must carry an HMAC-SHA256 `Signature`
/// (keyId, algorithm, headers, signature — the draft-cavage HTTP Signatures form vendor
/// integrations use) over the request target, `host`, `date`, the body's `Content-Digest` and
/// any further `required_headers`, made with one of the configured shared secrets, within
/// `max_skew_seconds` of the gateway's clock, and never seen before (replay protection).
public struct RequestSigning: Codable, Sendable, Hashable {
    /// A signer: the `keyId` it signs with and the environment variable holding its secret.
    public struct Key: Codable, Sendable, Hashable {
        public var keyID: String
        public var secretEnv: String

        enum CodingKeys: String, CodingKey {
            case keyID = "key_id"
            case secretEnv = "secret_env"
        }

        public init(keyID: String, secretEnv: String) {
            self.keyID = keyID
            self.secretEnv = secretEnv
        }
    }

    public var keys: [Key]
    /// Headers every signature must cover besides `(request-target)`, `host` and `date`.
    public var requiredHeaders: [String]
    public var maxSkewSeconds: Int
    /// Largest signed body (it is held until its digest is checked).
    public var maxBodyBytes: Int

    enum CodingKeys: String, CodingKey {
        case keys
        case requiredHeaders = "required_headers"
        case maxSkewSeconds = "max_skew_seconds"
        case maxBodyBytes = "max_body_bytes"
    }

    public init(keys: [Key], requiredHeaders: [String] = [], maxSkewSeconds: Int = 300, maxBodyBytes: Int = 1024 * 1024) {
        self.keys = keys
        self.requiredHeaders = requiredHeaders
        self.maxSkewSeconds = maxSkewSeconds
        self.maxBodyBytes = maxBodyBytes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        keys = try container.decode([Key].self, forKey: .keys)
        requiredHeaders = try container.decode(.requiredHeaders, default: [])
        maxSkewSeconds = try container.decode(.maxSkewSeconds, default: 300)
        maxBodyBytes = try container.decode(.maxBodyBytes, default: 1024 * 1024)
    }
}

extension MiddlewareStep {
    /// The settings of a `request_signing` step; `nil` when the config is not shaped like one.
    public var requestSigning: RequestSigning? {
        guard let data = try? JSONEncoder().encode(config) else { return nil }
        return try? JSONDecoder().decode(RequestSigning.self, from: data)
    }
}
