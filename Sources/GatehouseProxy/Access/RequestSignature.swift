import Crypto
import Foundation
import GatehouseCore
import NIOHTTP1

/// Verifies a request's `Signature` field (draft-cavage HTTP Signatures, `hmac-sha256`):
///
///     Signature: keyId="vendor-a",algorithm="hmac-sha256",headers="(request-target) host date content-digest",signature="<base64>"
///
/// The signing string is one `name: value` line per listed header, in order, joined by `\n`,
/// with `(request-target)` as `<method lowercased> <path and query>`. Pure: secrets, time and
/// the replay check are passed in.
enum RequestSignature {
    /// The fields of a `Signature` header.
    struct Parameters: Equatable {
        let keyID: String
        let algorithm: String
        let headers: [String]
        let signature: Data
    }

    /// Why a signature was refused.
    struct Rejection: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func parse(_ field: String) throws(Rejection) -> Parameters {
        var values: [String: String] = [:]
        var rest = Substring(field)
        while !rest.isEmpty {
            rest = rest.drop { $0 == "," || $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { throw Rejection("the Signature field is malformed") }
            values[name] = String(rest[rest.index(after: rest.startIndex) ..< close])
            rest = rest[rest.index(after: close)...]
        }
        guard let keyID = values["keyid"], let encoded = values["signature"], let signature = Data(base64Encoded: encoded) else {
            throw Rejection("the Signature field needs keyId and signature")
        }
        return Parameters(
            keyID: keyID, algorithm: values["algorithm"] ?? "hmac-sha256",
            headers: (values["headers"] ?? "date").lowercased().split(separator: " ").map(String.init), signature: signature
        )
    }

    /// Checks the signature of `head` (not its body) at `now`.
    static func verify(
        _ head: ClientRequestHead, config: RequestSigning, secrets: [String: String], now: Timestamp, hasBody: Bool
    ) throws(Rejection) -> Parameters {
        guard let field = head.headers.first(name: "signature") else { throw Rejection("this route needs a Signature field") }
        let parameters = try parse(field)
        guard parameters.algorithm.lowercased() == "hmac-sha256" else { throw Rejection("only hmac-sha256 signatures are accepted") }
        guard let secret = secrets[parameters.keyID] else { throw Rejection("unknown keyId '\(parameters.keyID)'") }
        var required = ["(request-target)", "host", "date"] + config.requiredHeaders.map { $0.lowercased() }
        if hasBody { required.append("content-digest") }
        if let missing = required.first(where: { !parameters.headers.contains($0) }) {
            throw Rejection("the signature must cover \(missing)")
        }
        guard let date = head.headers.first(name: "date").flatMap(HTTPDate.parse) else { throw Rejection("the Date field is missing or malformed") }
        guard abs(date.microseconds - now.microseconds) <= Int64(config.maxSkewSeconds) * 1_000_000 else {
            throw Rejection("the Date is more than \(config.maxSkewSeconds) s from the gateway's clock")
        }
        var lines: [String] = []
        for name in parameters.headers {
            if name == "(request-target)" {
                lines.append("(request-target): \(head.method.rawValue.lowercased()) \(head.uri)")
            } else {
                guard let value = head.headers.first(name: name) else { throw Rejection("the signed field \(name) is missing") }
                lines.append("\(name): \(value)")
            }
        }
        let signingString = Data(lines.joined(separator: "\n").utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(parameters.signature, authenticating: signingString, using: SymmetricKey(data: Data(secret.utf8))) else {
            throw Rejection("the signature does not match")
        }
        return parameters
    }

    /// The SHA-256 a `Content-Digest: sha-256=:<base64>:` field announces.
    static func announcedDigest(_ head: ClientRequestHead) throws(Rejection) -> Data {
        guard let field = head.headers.first(name: "content-digest") else { throw Rejection("a signed body needs a Content-Digest field") }
        for member in field.split(separator: ",") {
            let parts = member.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "sha-256" else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            if let digest = Data(base64Encoded: value), digest.count == 32 { return digest }
        }
        throw Rejection("Content-Digest must carry sha-256=:<base64>:")
    }
}
