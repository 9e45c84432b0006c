import NIOHTTP1

/// The fields a proxy adds so the upstream knows who really asked (`X-Forwarded-*`, `Via`).
public enum ForwardingHeaders {
    /// The `Via` pseudonym of this gateway.
    public static let via = "1.1 gatehouse"

    /// Adds `X-Forwarded-For` (appending `clientAddress` to a list that a trusted proxy sent,
    /// else replacing any client-supplied one), `X-Forwarded-Proto`, `X-Forwarded-Host` and `Via`.
    public static func apply(
        to headers: inout HTTPHeaders, clientAddress: String, scheme: String, host: String?, trustIncoming: Bool
    ) {
        let incoming = headers[canonicalForm: "x-forwarded-for"].map(String.init)
        headers.remove(name: "x-forwarded-for")
        headers.add(name: "X-Forwarded-For", value: (trustIncoming ? incoming : []).appending(clientAddress).joined(separator: ", "))
        if !trustIncoming || !headers.contains(name: "x-forwarded-proto") {
            headers.replaceOrAdd(name: "X-Forwarded-Proto", value: scheme)
        }
        if let host, !trustIncoming || !headers.contains(name: "x-forwarded-host") {
            headers.replaceOrAdd(name: "X-Forwarded-Host", value: host)
        }
        let via = headers[canonicalForm: "via"].map(String.init).appending(Self.via).joined(separator: ", ")
        headers.replaceOrAdd(name: "Via", value: via)
    }
}

extension Array {
    fileprivate func appending(_ element: Element) -> [Element] { self + [element] }
}
