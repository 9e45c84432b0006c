import NIOHTTP1

/// The fields a proxy adds so the upstream knows who really asked (`X-Forwarded-*`, `Via`).
public enum ForwardingHeaders {
    /// The `Via` pseudonym of this gateway.
    public static let via = "1.1 gatehouse"

    /// The fields to set on a request with `headers`, replacing any of the same names:
    /// `X-Forwarded-For` (appending `clientAddress` to a list that a trusted proxy sent, else
    /// replacing any client-supplied one), `X-Forwarded-Proto`, `X-Forwarded-Host` and `Via`.
    public static func fields(
        for headers: HTTPHeaders, clientAddress: String, scheme: String, host: String?, trustIncoming: Bool
    ) -> [(String, String)] {
        let incoming = trustIncoming ? headers[canonicalForm: "x-forwarded-for"].map(String.init) : []
        var fields = [("X-Forwarded-For", incoming.isEmpty ? clientAddress : (incoming + [clientAddress]).joined(separator: ", "))]
        if !trustIncoming || !headers.contains(name: "x-forwarded-proto") { fields.append(("X-Forwarded-Proto", scheme)) }
        if let host, !trustIncoming || !headers.contains(name: "x-forwarded-host") { fields.append(("X-Forwarded-Host", host)) }
        fields.append(("Via", via(after: headers)))
        return fields
    }

    /// The `Via` value for a message with `headers`: the hops it lists, then this gateway.
    static func via(after headers: HTTPHeaders) -> String {
        guard headers.contains(name: "via") else { return via }
        return (headers[canonicalForm: "via"].map(String.init) + [via]).joined(separator: ", ")
    }
}

