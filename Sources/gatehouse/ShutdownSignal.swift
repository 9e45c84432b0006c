import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Waits for SIGTERM or SIGINT.
enum ShutdownSignal {
    /// Blocks until one arrives; returns its name.
    static func wait() -> String {
        let received = DispatchSemaphore(value: 0)
        let first = FirstSignal()
        var sources: [any DispatchSourceSignal] = []
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for (number, label) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            sigaddset(&wanted, number)
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                first.note(label)
                received.signal()
            }
            source.resume()
            sources.append(source)
        }
        // A parent may have started us with these blocked; they must get through.
        sigprocmask(SIG_UNBLOCK, &wanted, nil)
        received.wait()
        sources.forEach { $0.cancel() }
        return first.name
    }

    private final class FirstSignal: Sendable {
        private let stored = Mutex("")
        func note(_ label: String) { stored.withLock { if $0.isEmpty { $0 = label } } }
        var name: String { stored.withLock { $0 } }
    }
}
