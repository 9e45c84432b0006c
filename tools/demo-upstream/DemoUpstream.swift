import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `demo-upstream`: a small WedSync backend (weddings, RSVPs, vendors, live events, an echo and
/// large downloads) with switches for latency, errors and dropped connections — the upstream of
/// the README demo, the end-to-end tests and the benchmarks.
@main
struct DemoUpstream: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-upstream",
        abstract: "A demo wedding-API backend for Gatehouse's demo, tests and benchmarks."
    )

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 9000
    @Option(help: "Extra latency added to every response, in milliseconds.") var latencyMs = 0
    @Option(help: "Share of requests answered with --error-status (0…1).") var errorRate = 0.0
    @Option(help: "Share of connections dropped without an answer (0…1).") var dropRate = 0.0
    @Option(help: "Status of injected failures.") var errorStatus = 500
    @Option(help: "Event-loop threads.") var threads = 1
    @Option(help: "Serve HTTPS with this PEM certificate chain (needs --tls-key).") var tlsCertificate: String?
    @Option(help: "PEM private key for --tls-certificate.") var tlsKey: String?

    func run() throws {
        // A parent may start us with signals blocked (Foundation's Process does from some
        // threads); SIGTERM must end the demo whoever started it.
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        let behaviour = DemoBehaviour(latencyMS: latencyMs, errorRate: errorRate, dropRate: dropRate, errorStatus: errorStatus)
        let tls = try tlsCertificate.flatMap { certificate in try tlsKey.map { try DemoServer.tlsContext(certificate: certificate, key: $0) } }
        let server = try DemoServer.start(host: host, port: port, threads: threads, behaviour: behaviour, tls: tls)
        // The port line is what scripts and tests wait for.
        print("demo-upstream listening on \(host):\(server.port)")
        fflush(nil)
        try server.waitUntilClosed()
    }
}
