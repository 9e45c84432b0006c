import Dispatch
import GatehouseCore
import NIOCore
import NIOSSL
import Synchronization

/// The current ``JWTKeyRing``, read by the event loops and kept up to date in the background:
/// rebuilt when the configuration changes (checked every 250 ms), with each `jwks_url` fetched
/// at first, every ten minutes, and — at most every five seconds — when a token named a key the
/// ring does not have (the issuer rotated). A failed fetch keeps the last good set and is
/// retried after five seconds. The first ring is built (and its sets fetched) before the proxy
/// listens.
final class JWTKeyRingStore: Sendable {
    private let ring = Mutex(JWTKeyRing.empty)
    private let refreshWanted = Atomic<Bool>(false)
    private let refresher = Mutex<Task<Void, Never>?>(nil)

    /// The ring in use.
    var current: JWTKeyRing { ring.withLock { $0 } }

    /// Asks for the JWK Sets to be fetched again soon (a token named an unknown key).
    func requestRefresh() { refreshWanted.store(true, ordering: .relaxed) }

    /// Builds the first ring (blocking the caller) and starts following `snapshot`; `report`
    /// hears of keys that could not be built or fetched.
    func start(
        snapshot: @escaping @Sendable () -> ConfigSnapshot, tls: NIOSSLContext, eventLoop: any EventLoop,
        report: @escaping @Sendable (String) -> Void
    ) {
        let built = DispatchSemaphore(value: 0)
        let task = Task.detached { [self] in
            var sets = FetchedSets()
            var first = true
            while !Task.isCancelled {
                let current = snapshot()
                let urls = Set(current.gateways.flatMap { $0.gateway.jwtConfig?.providers ?? [] }.compactMap(\.jwksURL))
                let forced = refreshWanted.exchange(false, ordering: .relaxed)
                let fetchedNew = await sets.update(urls: urls, forced: forced, tls: tls, eventLoop: eventLoop, report: report)
                if first || fetchedNew || current.sequence != ring.withLock({ $0.sequence }) {
                    let rebuilt = await JWTKeyRing.build(for: current, fetched: sets.documents)
                    ring.withLock { $0 = rebuilt }
                    for problem in rebuilt.problems { report(problem) }
                }
                if first {
                    first = false
                    built.signal()
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        refresher.withLock { $0 = task }
        built.wait()
    }

    func stop() {
        refresher.withLock { task in
            task?.cancel()
            task = nil
        }
    }
}

/// The JWK Sets fetched so far, and when each is due again.
private struct FetchedSets {
    var documents: [String: JSONValue] = [:]
    private var due: [String: ContinuousClock.Instant] = [:]
    private var lastForced: ContinuousClock.Instant?

    /// Fetches the sets that are due; `true` when one changed.
    mutating func update(
        urls: Set<String>, forced: Bool, tls: NIOSSLContext, eventLoop: any EventLoop, report: @Sendable (String) -> Void
    ) async -> Bool {
        let now = ContinuousClock.now
        let forcing = forced && lastForced.map { now - $0 >= .seconds(5) } ?? forced
        if forcing { lastForced = now }
        var changed = false
        for url in urls.sorted() where forcing || due[url].map({ now >= $0 }) ?? true {
            do {
                let document = try await JWKSFetcher.fetch(url, tls: tls, on: eventLoop)
                if documents[url] != document {
                    documents[url] = document
                    changed = true
                }
                due[url] = now + .seconds(600)
            } catch {
                report("JWK Set \(url): \(error)")
                due[url] = now + .seconds(5)
            }
        }
        for url in documents.keys where !urls.contains(url) {
            documents[url] = nil
            due[url] = nil
        }
        return changed
    }
}
