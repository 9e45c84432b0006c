import Foundation

/// Random secrets for people to copy: 256 bits from the system's CSPRNG, base64url without
/// padding (43 characters), after a recognisable prefix (`gha_`, `gk_live_`).
enum SecretGenerator {
    static func token(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0 ..< 32).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }
}
