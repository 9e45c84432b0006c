import NIOCore
import NIOSSL

/// One active health check: `GET path` on a fresh connection; healthy when a 2xx or 3xx answer
/// arrives within the timeout.
enum HealthProbe {
    static func check(
        _ address: UpstreamAddress, path: String, timeout: TimeAmount, tls: NIOSSLContext, on eventLoop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        SideRequest.send(
            .GET, to: address, target: address.basePath + (path.hasPrefix("/") ? path : "/" + path),
            headers: [("User-Agent", "gatehouse-health-check")], tls: tls, on: eventLoop, timeout: timeout
        )
        .map { (200 ..< 400).contains($0.status) }
        .recover { _ in false }
    }
}
