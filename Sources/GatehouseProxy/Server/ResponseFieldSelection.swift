import GatehouseCache
import GatehouseCore
import NIOCore

/// Which of an upstream response's fields reach the client, and the fields the gateway adds
/// after them — decided field by field on names given as strings or as received bytes
/// (``FieldName``), so a head built for the pipeline's steps and one relayed from its bytes get
/// the same fields.
///
/// An upstream field stays unless it is hop-by-hop, set by the gateway itself (its own fields,
/// CORS when configured, `Via`); the security fields the upstream set are noted, and its `Via`
/// hops kept for the gateway's. The gateway's fields follow, in this order: its own
/// (`X-Request-ID`, `X-Gateway`, `X-Backend-Service`, route-test marks, rate-limit and version
/// fields), CORS, the version's `Link`, the security fields the upstream did not set, and `Via`
/// (the upstream's hops, then this gateway).
struct ResponseFieldSelection {
    private let exchange: Exchange
    private let gatewayName: String
    private let hopByHop: HopByHopHeaders.Present
    private let routeTestFields: [(String, String)]
    private let security: [(String, String)]
    /// The route leaves the security fields at their defaults.
    private let securityIsDefault: Bool
    /// The exchange's response carries limit fields: each upstream field is checked against
    /// their names.
    private let addsLimitFields: Bool
    private let replacesCORS: Bool
    /// Bit `i`: the upstream set `security[i]` itself.
    private var upstreamSet: UInt64 = 0
    /// The upstream's `Via` hops.
    private var hops: [String] = []

    /// The selection for `exchange`'s response from an upstream whose head carries `hopByHop`.
    init(for exchange: Exchange, gatewayName: String, hopByHop: HopByHopHeaders.Present) {
        self.exchange = exchange
        self.gatewayName = gatewayName
        self.hopByHop = hopByHop
        routeTestFields = exchange.isRouteTest
            ? [exchange.routeEntry.map { (AdminRequestMarker.routeField, $0.route.id.description) }, exchange.instance.map { (AdminRequestMarker.instanceField, $0.serviceURL) }]
                .compactMap { $0 }
            : []
        let middleware = exchange.routeEntry?.route.middlewareConfig ?? []
        security = SecurityHeaders.fields(for: middleware, tls: exchange.isTLS)
        securityIsDefault = SecurityHeaders.usesDefaults(middleware)
        addsLimitFields = exchange.hasRateLimitFields
        replacesCORS = !exchange.corsFields.isEmpty
    }

    /// How many fields ``forEachAdded(_:)`` gives at most.
    var addedCount: Int {
        4 + routeTestFields.count + (addsLimitFields ? 6 : 0) + exchange.versionFields.count + exchange.corsFields.count + security.count
    }

    /// Whether the upstream's field `name` reaches the client; `value` is read only for `Via`.
    mutating func admits(_ name: some FieldName, value: () -> String) -> Bool {
        if !hopByHop.isEmpty, hopByHop.contains(name) { return false }
        if isGatewayField(name) { return false }
        if replacesCORS, name.byteCount >= 15, name.hasNamePrefix("access-control-") { return false }
        if name.isNamed("via") {
            value().forEachPiece(separatedByASCII: UInt8(ascii: ","), omittingEmpty: true) { hop in
                let trimmed = hop.trimmingSpaces()
                if !trimmed.isEmpty { hops.append(String(trimmed)) }
            }
            return false
        }
        if let index = security.firstIndex(where: { name.isNamed($0.0) }) { upstreamSet |= 1 << UInt64(index) }
        return true
    }

    /// Calls `body` with each field the gateway adds, in order (after every upstream field has
    /// been through ``admits(_:value:)``).
    func forEachAdded(_ body: (String, String) -> Void) {
        body("X-Request-ID", exchange.requestID)
        body("X-Gateway", gatewayName)
        body("X-Backend-Service", exchange.service)
        forEachMiddle(body, limits: { $0.forEach(body) })
        forEachSecurityAndVia(body)
    }

    /// Writes the fields ``forEachAdded(_:)`` gives as HTTP/1 field lines, the same
    /// bytes in the same order: the gateway's own three in one reservation, and — when the
    /// route keeps the default security fields and the upstream set none of them and no `Via` —
    /// the security fields and `Via` as one prepared block.
    func writeAdded(into buffer: inout ByteBuffer) {
        let requestID = exchange.requestID, service = exchange.service
        let capacity = Self.ownFieldsLength + requestID.utf8.count + gatewayName.utf8.count + service.utf8.count
        FieldValueWriter.write(into: &buffer, capacity: capacity) { writer in
            writer.append("X-Request-ID: ")
            writer.append(requestID)
            writer.append("\r\nX-Gateway: ")
            writer.append(gatewayName)
            writer.append("\r\nX-Backend-Service: ")
            writer.append(service)
            writer.append("\r\n")
        }
        forEachMiddle({ buffer.writeHTTP1Field($0, $1) }, limits: { $0.write(into: &buffer) })
        if securityIsDefault, upstreamSet == 0, hops.isEmpty {
            buffer.writeBytes(SecurityHeaders.defaultLinesAndVia(tls: exchange.isTLS))
        } else {
            forEachSecurityAndVia { buffer.writeHTTP1Field($0, $1) }
        }
    }

    /// The added fields between the gateway's own and the security fields, in order: route-test
    /// marks, the limit fields (handed to `limits` as they are, for a head written as bytes),
    /// version fields but `Link`, CORS, the version's `Link`.
    private func forEachMiddle(_ body: (String, String) -> Void, limits: (RateLimitFields) -> Void) {
        for field in routeTestFields { body(field.0, field.1) }
        if addsLimitFields, let rateLimitFields = exchange.rateLimitFields { limits(rateLimitFields) }
        for field in exchange.versionFields where field.0 != "Link" { body(field.0, field.1) }
        for field in exchange.corsFields { body(field.0, field.1) }
        for field in exchange.versionFields where field.0 == "Link" { body(field.0, field.1) }
    }

    /// The security fields the upstream did not set, then `Via` (the upstream's hops, then this
    /// gateway): the last of the added fields.
    private func forEachSecurityAndVia(_ body: (String, String) -> Void) {
        for (index, field) in security.enumerated() where upstreamSet & 1 << UInt64(index) == 0 { body(field.0, field.1) }
        body("Via", ForwardingHeaders.via(after: hops))
    }

    /// The bytes of the gateway's own three field lines but their values.
    private static let ownFieldsLength = "X-Request-ID: \r\nX-Gateway: \r\nX-Backend-Service: \r\n".utf8.count

    /// The gateway sets fields of this name itself.
    private func isGatewayField(_ name: some FieldName) -> Bool {
        name.isNamed("X-Request-ID") || name.isNamed("X-Gateway") || name.isNamed("X-Backend-Service")
            || routeTestFields.contains { name.isNamed($0.0) }
            || (addsLimitFields && RateLimitHeaders.isLimitField(name))
            || exchange.versionFields.contains { $0.0 != "Link" && name.isNamed($0.0) }
    }
}
