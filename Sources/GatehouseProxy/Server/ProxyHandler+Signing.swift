import Crypto
import Foundation
import GatehouseCore

extension ProxyHandler {
    /// A `request_signing` route: the signature over the head is checked now (401 when it is
    /// missing, stale, replayed or wrong); a body's digest once the body is complete.
    func checkSignature(_ exchange: Exchange, _ signing: RequestSigning) -> Bool {
        let secrets = Dictionary(signing.keys.compactMap { key in ProcessEnvironment.value(key.secretEnv).map { (key.keyID, $0) } }) { first, _ in first }
        let headers = exchange.head.headers
        let hasBody = headers.contains(name: "transfer-encoding") || (headers.first(name: "content-length").flatMap(Int.init) ?? 0) > 0
        do throws(RequestSignature.Rejection) {
            let parameters = try RequestSignature.verify(exchange.head, config: signing, secrets: secrets, now: exchange.startTime, hasBody: hasBody)
            let window = Int64(signing.maxSkewSeconds) * 1_000_000
            let now = exchange.startTime.microseconds
            guard loop.signatureNonces.firstUse(parameters.signature, now: now, until: now + 2 * window) else {
                throw RequestSignature.Rejection("this signature was already used")
            }
            if hasBody { exchange.signedBody = (try RequestSignature.announcedDigest(exchange.head), signing.maxBodyBytes) }
            return true
        } catch {
            exchange.errorMessage = "signature_rejected: \(error.message)"
            fail(exchange, with: .signatureRejected(error.message), closing: false)
            return false
        }
    }

    /// Starts the first attempt — for a signed body, only when the body matches its digest; a
    /// held body is transformed first.
    func startAttemptAfterDigest(_ exchange: Exchange) {
        if let signed = exchange.signedBody {
            var hasher = SHA256()
            for part in exchange.pendingBody { hasher.update(data: Data(part.readableBytesView)) }
            guard Data(hasher.finalize()) == signed.digest else {
                exchange.errorMessage = "signature_rejected: the body does not match its Content-Digest"
                return fail(exchange, with: .signatureRejected("the body does not match its Content-Digest"), closing: false)
            }
        }
        transformHeldRequestBody(exchange)
        startAttempt(exchange)
    }
}
