import ArgumentParser
import Dispatch
import Foundation
import GatehouseAdmin
import GatehouseCache
import GatehouseCore
import GatehouseEngine
import GatehouseProxy

/// `gatehouse serve`: the gateway.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: proxy traffic by the configuration in the log, recording every outcome.",
        discussion: "SIGTERM or SIGINT drains in-flight requests, flushes the outcome log and exits."
    )

    @OptionGroup var options: DataOptions
    @Option(help: "Apply this YAML configuration before serving (as `config apply` does).") var config: String?
    @Option(help: "Proxy listen address.") var host = "0.0.0.0"
    @Option(help: "Proxy port (0 picks a free one).") var port = 8080
    @Option(help: "Event loops (threads); default: one per core.") var eventLoops = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Largest request body accepted, in bytes.") var maxBodyBytes = 10 * 1024 * 1024
    @Option(help: "Largest request head (header fields) accepted, in bytes; 431 beyond it.") var maxHeaderBytes = 32 * 1024
    @Option(help: "Seconds in-flight requests get to finish on shutdown.") var drainSeconds = 30
    @Option(help: "Memory for cached responses, in bytes.") var cacheBytes = 64 * 1024 * 1024
    @Option(help: "Largest response the cache stores, in bytes.") var cacheMaxEntryBytes = 1024 * 1024
    @Option(help: "Compress responses of compressible types from this many bytes (gzip or deflate, by Accept-Encoding).")
    var compressionMinBytes = 1024
    @Flag(help: "Never compress responses.") var noCompression = false
    @Option(help: "Write a JSON access log line per request to this file ('-': standard output).") var accessLog: String?
    @Option(help: "Seconds between evaluations of the gateways' alert rules.") var alertInterval = 30
    @Option(help: "Days raw request outcomes are kept (at least 32); older ones are deleted once the metrics buckets hold them.")
    var trafficRetentionDays = 90
    @Option(help: "Seconds between retention passes.") var retentionInterval = 3600
    @Option(help: "Client locations by network: a GeoLite2-style blocks CSV (network plus location columns or geoname_id).")
    var geoTable: String?
    @Option(help: "The locations CSV a --geo-table's geoname_id column refers to (GeoLite2's Locations file).") var geoLocations: String?
    @Option(help: "Largest body a route's JSON transforms work on; larger ones pass through untouched.")
    var transformMaxBodyBytes = 1024 * 1024
    @Option(help: "TLS listener port (HTTP/2 and HTTP/1.1 by ALPN); needs --tls-certificate and --tls-key.") var tlsPort = 8443
    @Option(help: "PEM certificate chain for the TLS listener.") var tlsCertificate: String?
    @Option(help: "PEM private key for the TLS listener.") var tlsKey: String?
    @Option(help: "PEM CA certificates trusted for HTTPS upstreams, besides the system's.") var upstreamCaFile: String?
    @Option(help: "Admin API listen address (keep it on loopback or a private network).") var adminHost = "127.0.0.1"
    @Option(help: "Admin API port (0 picks a free one).") var adminPort = 8081
    @Flag(help: "Do not start the admin API.") var noAdmin = false
    @Option(help: "A proxy or CDN in front (CIDR, repeatable) whose X-Forwarded-* and CloudFront-Viewer-Latitude/Longitude are believed.")
    var trustedProxy: [String] = []

    func validate() throws {
        for block in trustedProxy where CIDRBlock(block) == nil {
            throw ValidationError("--trusted-proxy \(block): not an IP address or CIDR block")
        }
        guard cacheBytes >= 0, cacheMaxEntryBytes >= 0 else {
            throw ValidationError("--cache-bytes and --cache-max-entry-bytes cannot be negative")
        }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
    }

    func run() throws {
        guard trafficRetentionDays >= TrafficRetention.minimumDays else {
            throw ValidationFailure("--traffic-retention-days must be at least \(TrafficRetention.minimumDays) (quotas and key usage read this month's outcomes)")
        }
        let engine = try options.openEngine()
        if let config {
            let yaml = try readConfigFile(config)
            do {
                let recorded = try DeclarativeConfig(engine: engine).apply(yaml, fileName: config, context: CommandContext(time: .now(), actor: "serve:\(config)"))
                StartupLog.write(["event": "config_applied", "file": config, "changes": recorded.count])
            } catch let error as ConfigFileError {
                throw ValidationFailure(error.description)
            }
        }
        let recorder = OutcomeRecorder(log: engine.log)
        let worker = EngineWorker(engine: engine) { message in StartupLog.write(["event": "engine_error", "message": message]) }
        let environment = ProxyEnvironment(
            snapshot: { engine.snapshot }, snapshotGeneration: { engine.snapshotGeneration }, recordOutcome: { recorder.record($0) },
            recordFacts: { worker.record($0) }, report: { StartupLog.write(["event": "proxy_warning", "message": $0]) }
        )
        let quotaStarted = ContinuousClock.now
        let quotaUsage = try QuotaProjection.load(from: engine.log, now: .now())
        let loading = ContinuousClock.now - quotaStarted
        StartupLog.write([
            "event": "quota_usage_loaded", "keys": quotaUsage.byKey.count,
            "milliseconds": loading.components.seconds * 1000 + loading.components.attoseconds / 1_000_000_000_000_000,
        ])
        let routeTestToken = noAdmin ? nil : RouteTestTarget.newToken()
        let accessWriter = try accessLog.map { try LineWriter(path: $0) }
        let proxy = try ProxyServer.start(
            configuration: ProxyConfiguration(
                host: host, port: port, eventLoops: eventLoops, maxBodyBytes: maxBodyBytes, maxHeaderBytes: maxHeaderBytes, drainSeconds: drainSeconds,
                tls: tlsCertificate.flatMap { certificate in
                    tlsKey.map { TLSListener(host: host, port: tlsPort, certificatePath: certificate, privateKeyPath: $0) }
                },
                upstreamCAFile: upstreamCaFile, trustedProxies: TrustedProxies(trustedProxy.compactMap(CIDRBlock.init)),
                adminRequests: routeTestToken.map(AdminRequestMarker.init), compressionMinimumBytes: noCompression ? nil : max(0, compressionMinBytes),
                transformMaxBodyBytes: max(0, transformMaxBodyBytes), accessLog: accessWriter.map(AccessLog.jsonLines),
                geoTable: try loadGeoTable()
            ),
            environment: environment, quotaUsage: quotaUsage,
            cache: ResponseCache(capacityBytes: cacheBytes, maxEntryBytes: min(cacheMaxEntryBytes, cacheBytes))
        )
        let metrics = try MetricsProjection(log: engine.log)
        let keyActivity = try KeyActivityProjection(log: engine.log)
        let admin = try routeTestToken.map { token in
            try startAdmin(
                engine: engine, proxy: proxy, projections: (metrics, keyActivity), recorder: recorder,
                routeTest: RouteTestTarget(host: host, port: proxy.port, token: token)
            )
        }
        let retention = try TrafficRetention(log: engine.log, rollUps: [metrics, keyActivity], days: trafficRetentionDays)
        let pruning = PeriodicTask(label: "gatehouse.retention", intervalSeconds: retentionInterval, errorEvent: "retention_error") {
            guard let pruned = try retention.prune(now: .now()) else { return }
            worker.record([.outcomesPruned(pruned)])
            StartupLog.write([
                "event": "outcomes_pruned", "count": pruned.count, "through_sequence": pruned.throughSequence, "before": pruned.before.rfc3339,
            ])
        }
        // Every second: the log's pages the projections and queries have read stop counting as
        // this process's memory (they stay in the page cache; see `releaseResidentPages`).
        let pageRelease = PeriodicTask(label: "gatehouse.log-pages", intervalSeconds: 1, errorEvent: "log_pages_error") {
            engine.log.releaseResidentPages()
        }
        let healthObservations = proxy.healthObservations
        let alerts = AlertMonitor(
            engine: engine, worker: worker, metrics: metrics, health: { healthObservations.all },
            webhooks: try WebhookDelivery { StartupLog.write(["event": "alert_webhook_failed", "message": $0]) }, intervalSeconds: alertInterval
        )
        let snapshot = engine.snapshot
        StartupLog.write([
            "event": "started", "proxy": "\(host):\(proxy.port)", "tls": proxy.tlsPort.map { "\(host):\($0)" } ?? "off",
            "admin": admin.map { "\(adminHost):\($0.port)" } ?? "off",
            "data": options.data, "event_loops": eventLoops,
            "gateways": snapshot.gateways.map(\.gateway.name), "routes": snapshot.gateways.reduce(0) { $0 + $1.routes.entries.count },
            "log_sequence": snapshot.sequence,
        ])
        let signal = ShutdownSignal.wait()
        StartupLog.write(["event": "stopping", "signal": signal, "in_flight": proxy.activity.requestsInFlight])
        admin?.shutdown()
        alerts.shutdown()
        pruning.shutdown()
        pageRelease.shutdown()
        proxy.shutdown()
        worker.shutdown()
        recorder.shutdown()
        accessWriter?.flush()
        try engine.checkpoint()
        let statistics = recorder.statistics
        StartupLog.write(["event": "stopped", "outcomes_written": statistics.written, "outcomes_dropped": statistics.dropped])
    }

    /// The `--geo-table` (with its `--geo-locations`), if given.
    private func loadGeoTable() throws -> GeoTable? {
        guard let geoTable else { return nil }
        do {
            let table = try GeoTable(blocks: try readConfigFile(geoTable), locations: try geoLocations.map(readConfigFile))
            StartupLog.write(["event": "geo_table_loaded", "file": geoTable, "networks": table.count])
            return table
        } catch let error as GeoTable.Invalid {
            throw ValidationFailure("--geo-table \(geoTable): \(error)")
        }
    }

    /// The admin listener, with the bootstrap token (shown here if it was just generated) and,
    /// when `GATEHOUSE_ADMIN_JWT_SECRET` is set, admin JWT login.
    private func startAdmin(
        engine: GatehouseEngine, proxy: ProxyServer, projections: (MetricsProjection, KeyActivityProjection), recorder: OutcomeRecorder,
        routeTest: RouteTestTarget
    ) throws -> AdminServer {
        let health = proxy.healthObservations
        let bootstrap = try BootstrapToken.resolve(dataDirectory: options.data)
        if let token = bootstrap.generatedPlaintext {
            StartupLog.write([
                "event": "admin_token_generated", "token": token,
                "note": "shown once: only its SHA-256 is kept (\(BootstrapToken.hashFile(in: options.data))); send it as Authorization: Bearer",
            ])
        }
        let secret = ProcessInfo.processInfo.environment["GATEHOUSE_ADMIN_JWT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        return try AdminServer.start(
            configuration: AdminServer.Configuration(host: adminHost, port: adminPort, bootstrap: bootstrap, jwtSecret: secret, routeTest: routeTest),
            engine: engine, health: { health.all }, cache: proxy.cache, metrics: projections.0, keyActivity: projections.1, recorder: { recorder.statistics },
            limiter: { proxy.limiterStatistics }
        )
    }
}
