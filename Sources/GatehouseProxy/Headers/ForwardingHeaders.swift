import GatehouseCore
import NIOHTTP1

/// The fields a proxy adds so the upstream knows who really asked (`X-Forwarded-*`, `Via`).
public enum ForwardingHeaders {
    /// The `Via` pseudonym of this gateway.
    public static let via = "1.1 gatehouse"

    /// Sets, on a request with `headers`, `X-Forwarded-For` (appending `clientAddress` to a
    /// list that a trusted proxy sent, else replacing any client-supplied one),
    /// `X-Forwarded-Proto`, `X-Forwarded-Host` and `Via`.
    static func rewrite(
        _ headers: ReceivedFields, clientAddress: String, scheme: String, host: String?, trustIncoming: Bool, into rewrite: inout FieldRewrite
    ) {
        let incoming = trustIncoming && headers.contains(name: "x-forwarded-for") ? headers[canonicalForm: "x-forwarded-for"].map(String.init) : []
        rewrite.replace("X-Forwarded-For", with: incoming.isEmpty ? clientAddress : (incoming + [clientAddress]).joined(separator: ", "))
        if !trustIncoming || !headers.contains(name: "x-forwarded-proto") { rewrite.replace("X-Forwarded-Proto", with: scheme) }
        if let host, !trustIncoming || !headers.contains(name: "x-forwarded-host") { rewrite.replace("X-Forwarded-Host", with: host) }
        rewrite.replace("Via", with: via(after: headers))
    }

    /// The `Via` value for a message with `headers`: the hops it lists, then this gateway.
    static func via(after headers: ReceivedFields) -> String {
        guard headers.contains(name: "via") else { return via }
        return via(after: headers[canonicalForm: "via"].map(String.init))
    }

    /// The `Via` value after the listed `hops` (each one hop): theirs, then this gateway.
    static func via(after hops: [String]) -> String {
        hops.isEmpty ? via : (hops + [via]).joined(separator: ", ")
    }
}

