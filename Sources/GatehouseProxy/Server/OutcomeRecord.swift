import GatehouseCore
import NIOCore

/// Turns a finished exchange into its `RequestCompleted` event.
enum OutcomeRecord {
    /// Request headers worth keeping for analytics; never credentials or cookies.
    static let keptHeaders = ["accept", "content-type", "origin", "referer", "accept-encoding"]
    /// The names looked for (`keptHeaders` and `user-agent`): most fields are passed over by
    /// their name's length alone.
    private static let wantedLengths = NameLengths(keptHeaders + ["user-agent"])

    static func make(_ exchange: Exchange) -> RequestCompleted {
        // One pass over the request's fields for the kept ones and the user agent (the first of
        // each name), in `keptHeaders` order; `found` is a bit set of the kept names seen, and
        // nothing is allocated unless a kept field is there.
        var kept: [HeaderField] = []
        var found: UInt8 = 0
        var userAgent: String?
        exchange.head.headers.forEach { name, value in
            let name = FieldBytes(bytes: name)
            guard wantedLengths.mayContain(name) else { return }
            if let index = keptHeaders.firstIndex(where: { name.isNamed($0) }) {
                guard found & 1 << index == 0 else { return }
                found |= 1 << index
                if kept.isEmpty { kept.reserveCapacity(keptHeaders.count) }  // one allocation, not one per doubling
                kept.append(HeaderField(name: keptHeaders[index], value: Self.capped(FieldBytes(bytes: value).string)))
            } else if userAgent == nil, name.isNamed("user-agent") {
                userAgent = FieldBytes(bytes: value).string
            }
        }
        if kept.count > 1 { kept.sort { keptHeaders.firstIndex(of: $0.name)! < keptHeaders.firstIndex(of: $1.name)! } }
        let instanceID = exchange.instance?.id
        return RequestCompleted(
            requestID: exchange.requestID,
            startTime: exchange.startTime,
            totalMicros: (NIODeadline.now() - exchange.started).nanoseconds / 1000,
            backendMicros: instanceID == nil ? nil : exchange.backendNanoseconds / 1000,
            gatewayID: exchange.gateway?.gateway.id,
            routeID: exchange.routeEntry?.route.id,
            apiVersionID: exchange.routeEntry?.route.apiVersionID,
            backendServiceID: instanceID,
            retries: exchange.retries,
            apiKeyID: exchange.keyStorage?.value.id,
            jwtSubject: exchange.token?.subject,
            ownerID: exchange.keyStorage?.value.ownerID ?? exchange.token?.subject,
            ownerType: exchange.keyStorage?.value.ownerType,
            clientIP: exchange.clientIP,
            country: exchange.country,
            city: exchange.city,
            method: exchange.method,
            path: exchange.pathText,
            query: QueryRedaction.redact(exchange.query),
            status: exchange.status,
            requestBytes: Int64(exchange.requestBytes),
            responseBytes: Int64(exchange.responseBytes),
            userAgent: userAgent.map(Self.capped),
            headers: kept,
            cacheStatus: exchange.cacheStatus,
            decision: exchange.decision,
            rules: exchange.recordedLimits,
            errorMessage: exchange.errorMessage ?? exchange.transformNote
        )
    }

    /// A field value as recorded: at most 256 bytes, cut between Unicode scalars.
    static func capped(_ value: String) -> String {
        guard value.utf8.count > 256 else { return value }
        var length = 0
        return String(String.UnicodeScalarView(value.unicodeScalars.prefix { scalar in
            length += scalar.utf8.count
            return length <= 256
        }))
    }
}
