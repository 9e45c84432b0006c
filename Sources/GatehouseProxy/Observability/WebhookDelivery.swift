import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// POSTs JSON to webhook URLs for the gateway (alert notices), retrying failures — a refused
/// connection, a timeout, a non-2xx answer — up to three attempts, 1 s then 2 s apart. Failures
/// that outlast the retries are reported, never thrown at the caller.
public final class WebhookDelivery: Sendable {
    private let eventLoop: any EventLoop
    private let tls: NIOSSLContext
    private let report: @Sendable (String) -> Void

    /// Uses the shared event-loop group; HTTPS with the system's trust store.
    public init(report: @escaping @Sendable (String) -> Void) throws {
        eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        tls = try NIOSSLContext(configuration: .makeClientConfiguration())
        self.report = report
    }

    /// Sends `body` to `url` in the background.
    public func post(_ body: [UInt8], to url: String, attempt: Int = 1) {
        SideRequest.send(.POST, url, headers: [("Content-Type", "application/json")], body: body, tls: tls, on: eventLoop, timeout: .seconds(10))
            .whenComplete { [self] result in
                let failure: String? = switch result {
                case .success(let answer) where (200 ..< 300).contains(answer.status): nil
                case .success(let answer): "answered \(answer.status)"
                case .failure(let error): "\(error)"
                }
                guard let failure else { return }
                guard attempt < 3 else { return report("webhook \(url) failed after 3 attempts: \(failure)") }
                eventLoop.scheduleTask(in: .seconds(Int64(attempt))) { self.post(body, to: url, attempt: attempt + 1) }
            }
    }
}
