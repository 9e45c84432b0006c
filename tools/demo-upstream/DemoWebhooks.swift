import Foundation
import Synchronization

/// `POST /_demo/webhooks` keeps each JSON body it receives; `GET /_demo/webhooks` lists them —
/// a webhook receiver for the gateway's alert notices.
final class DemoWebhooks: Sendable {
    private let received = Mutex<[Data]>([])

    func reply(to request: DemoRequest) -> DemoReply {
        if request.method == "POST" {
            guard (try? JSONSerialization.jsonObject(with: request.body)) != nil else {
                return .complete(status: 400, contentType: "application/json", body: Data(#"{"error":"expected JSON"}"#.utf8))
            }
            let body = request.body
            received.withLock { $0.append(body) }
            return .complete(status: 204, contentType: "application/json", body: Data())
        }
        let all = received.withLock { $0 }
        let body = Data("[".utf8) + all.joined(separator: Data(",".utf8)) + Data("]".utf8)
        return .complete(status: 200, contentType: "application/json", body: body)
    }
}
