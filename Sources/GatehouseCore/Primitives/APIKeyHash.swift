import Crypto

/// How API keys are stored: the lowercase hex SHA-256 of the plaintext, as the spec's
/// `api_key_hash`. Generated keys carry 256 bits of randomness, so a fast unsalted hash is
/// not open to guessing; it also lets the proxy find a key by hash in O(1).
public enum APIKeyHash {
    /// The stored hash of a plaintext key.
    public static func hash(_ plaintext: String) -> String {
        SHA256.hash(data: Array(plaintext.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The prefix shown for identification: the plaintext's first 12 characters.
    public static func prefix(of plaintext: String) -> String {
        String(plaintext.prefix(12))
    }

    /// `true` for 64 lowercase hex digits.
    public static func isWellFormed(_ hash: String) -> Bool {
        hash.utf8.count == 64 && hash.utf8.allSatisfy { (48 ... 57).contains($0) || (97 ... 102).contains($0) }
    }
}
