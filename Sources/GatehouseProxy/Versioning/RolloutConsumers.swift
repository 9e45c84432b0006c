import Foundation
import GatehouseCore
import NIOHTTP1

/// Who a request comes from for a version rollout, decided before routing (the route, and so
/// its authentication, depends on the version): a presented API key the snapshot knows, else a
/// bearer JWT's `sub` and claims — read, not verified, which is enough to pick a version because
/// the chosen route still authenticates the request in full — else the client address.
enum RolloutConsumers {
    static func consumer(of headers: ReceivedFields, clientIP: ClientIP?, snapshot: ConfigSnapshot, at time: Timestamp) -> RolloutConsumer {
        if let credential = PresentedCredential.find(in: headers) {
            if let key = snapshot.apiKey(plaintext: credential.secret, at: time) {
                return RolloutConsumer(identity: "key:\(key.id)", tier: key.rateLimitTier, ownerType: key.ownerType)
            }
            if credential.field == .authorizationBearer, let claims = unverifiedClaims(credential.secret), let subject = claims["sub"] {
                return RolloutConsumer(identity: "sub:\(subject)", claims: claims)
            }
        }
        return RolloutConsumer(identity: "ip:\(clientIP.map { "\($0)" } ?? "unknown")")
    }

    /// A compact JWT's payload claims with scalar values, as text.
    static func unverifiedClaims(_ token: String) -> [String: String]? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var claims: [String: String] = [:]
        for (name, value) in object {
            switch value {
            case let text as String: claims[name] = text
            case let number as NSNumber: claims[name] = number.stringValue
            default: break
            }
        }
        return claims
    }
}
