import GatehouseCore
import NIOHTTP1

/// The `Cache-Control` directives a shared cache acts on (RFC 9111 §5.2), from a request or a
/// response. Unknown directives are ignored; a malformed `max-age` counts as absent.
public struct CacheControl: Sendable, Equatable {
    public var noStore = false
    public var noCache = false
    public var isPrivate = false
    public var isPublic = false
    public var mustRevalidate = false
    public var maxAge: Int?
    public var sharedMaxAge: Int?

    public init() {}

    /// The directives of every `Cache-Control` field in `headers` (and `Pragma: no-cache`, which
    /// HTTP/1.0 clients send).
    public init(_ headers: HTTPHeaders) {
        for field in headers[canonicalForm: "cache-control"] {
            guard let directive = HeaderElement.Parameter(field) else { continue }
            switch directive.name {
            case "no-store": noStore = true
            case "no-cache": noCache = true
            case "private": isPrivate = true
            case "public": isPublic = true
            case "must-revalidate", "proxy-revalidate": mustRevalidate = true
            case "max-age": maxAge = Self.seconds(directive.value)
            case "s-maxage": sharedMaxAge = Self.seconds(directive.value)
            default: break
            }
        }
        if headers[canonicalForm: "pragma"].contains(where: { $0.lowercased() == "no-cache" }), !headers.contains(name: "cache-control") {
            noCache = true
        }
    }

    /// Delta-seconds: a non-negative decimal; too large values saturate (RFC 9111 §1.2.2).
    private static func seconds(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(text) ?? Int(Int32.max)
    }
}
