import GatehouseCore
import NIOCore

/// Turns a finished exchange into its `RequestCompleted` event.
enum OutcomeRecord {
    /// Request headers worth keeping for analytics; never credentials or cookies.
    static let keptHeaders = ["accept", "content-type", "origin", "referer", "accept-encoding"]

    static func make(_ exchange: Exchange) -> RequestCompleted {
        let headers = exchange.head.headers
        var kept: [HeaderField] = []
        for name in keptHeaders {
            if let value = headers.first(name: name) { kept.append(HeaderField(name: name, value: String(value.utf8.prefix(256)) ?? "")) }
        }
        return RequestCompleted(
            requestID: exchange.requestID,
            startTime: exchange.startTime,
            totalMicros: (NIODeadline.now() - exchange.started).nanoseconds / 1000,
            backendMicros: exchange.instance == nil ? nil : exchange.backendNanoseconds / 1000,
            gatewayID: exchange.gateway?.gateway.id,
            routeID: exchange.route?.id,
            apiVersionID: exchange.route?.apiVersionID,
            backendServiceID: exchange.instance?.id,
            retries: exchange.retries,
            apiKeyID: exchange.apiKey?.id,
            jwtSubject: exchange.token?.subject,
            ownerID: exchange.apiKey?.ownerID ?? exchange.token?.subject,
            ownerType: exchange.apiKey?.ownerType,
            clientIP: exchange.clientIP,
            country: exchange.country,
            city: exchange.city,
            method: exchange.method,
            path: String(exchange.path),
            query: QueryRedaction.redact(exchange.query),
            status: exchange.status,
            requestBytes: Int64(exchange.requestBytes),
            responseBytes: Int64(exchange.responseBytes),
            userAgent: headers.first(name: "user-agent").map { String($0.utf8.prefix(256)) ?? "" },
            headers: kept,
            cacheStatus: exchange.cacheStatus,
            decision: exchange.decision,
            rules: exchange.limits?.recorded ?? [],
            errorMessage: exchange.errorMessage ?? exchange.transformNote
        )
    }
}
