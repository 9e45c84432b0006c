import GatehouseCore
import Logging

/// The structured access log: one swift-log entry per finished request (route tests and
/// preloads included — they are real traffic on the listener), with the request id and trace id
/// so a line can be followed into the upstream's logs and the request log's decision trace.
public struct AccessLog: Sendable {
    private let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// A log writing JSON lines through `writer`.
    public static func jsonLines(_ writer: LineWriter) -> AccessLog {
        AccessLog(logger: Logger(label: "gatehouse.access") { _ in JSONLineLogHandler(writer: writer) })
    }

    func record(_ exchange: Exchange, totalMicros: Int64) {
        var metadata: Logger.Metadata = [
            "request_id": .string(exchange.requestID), "method": .string(exchange.method), "path": .string(exchange.pathText),
            "status": .stringConvertible(exchange.status), "duration_ms": .stringConvertible(Double(totalMicros) / 1000),
            "bytes_out": .stringConvertible(exchange.responseBytes), "decision": .string(exchange.decision.name),
            "cache": .string(exchange.cacheStatus.name), "client_ip": .string(exchange.clientIP.map { "\($0)" } ?? ""),
        ]
        if let gateway = exchange.gateway { metadata["gateway"] = .string(gateway.gateway.name) }
        if let entry = exchange.routeEntry { metadata["route"] = .string(entry.route.routePath) }
        if let instance = exchange.instance { metadata["upstream"] = .string(instance.serviceURL) }
        if let trace = exchange.trace { metadata["trace_id"] = .string(trace.context.traceID) }
        if let prefix = exchange.keyStorage?.value.apiKeyPrefix { metadata["api_key"] = .string(prefix) }
        if exchange.retries > 0 { metadata["retries"] = .stringConvertible(exchange.retries) }
        if let message = exchange.errorMessage ?? exchange.transformNote { metadata["error"] = .string(message) }
        logger.info("access", metadata: metadata)
    }
}
