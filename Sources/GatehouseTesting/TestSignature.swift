import Crypto
import Foundation

/// Signs a request the way an integrator would (draft-cavage HTTP Signatures, hmac-sha256),
/// with swift-crypto: returns the fields to send.
public enum TestSignature {
    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for `date`.
    public static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// `Date`, `Content-Digest` (when there is a body) and `Signature` for `method target` to `host`.
    public static func fields(
        method: String, target: String, host: String, body: Data?, keyID: String, secret: String, date: Date = Date()
    ) -> [(String, String)] {
        var fields: [(String, String)] = [("Date", httpDate(date))]
        var covered = ["(request-target)", "host", "date"]
        var lines = ["(request-target): \(method.lowercased()) \(target)", "host: \(host)", "date: \(fields[0].1)"]
        if let body {
            let digest = "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):"
            fields.append(("Content-Digest", digest))
            covered.append("content-digest")
            lines.append("content-digest: \(digest)")
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(lines.joined(separator: "\n").utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let signature = Data(mac).base64EncodedString()
        fields.append(("Signature", #"keyId="\#(keyID)",algorithm="hmac-sha256",headers="\#(covered.joined(separator: " "))",signature="\#(signature)""#))
        return fields
    }
}
