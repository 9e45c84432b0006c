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

    /// The directives of every `Cache-Control` field in a response's `headers` (and
    /// `Pragma: no-cache`, which HTTP/1.0 servers send).
    public init(_ headers: HTTPHeaders) {
        self.init(
            cacheControl: headers[canonicalForm: "cache-control"], pragma: headers[canonicalForm: "pragma"],
            namesCacheControl: headers.contains(name: "cache-control")
        )
    }

    /// The directives of every `Cache-Control` field in a request's `fields` (and
    /// `Pragma: no-cache`, which HTTP/1.0 clients send).
    public init(_ fields: ReceivedFields) {
        self.init(
            cacheControl: fields[canonicalForm: "cache-control"], pragma: fields[canonicalForm: "pragma"],
            namesCacheControl: fields.contains(name: "cache-control")
        )
    }

    /// The directives among the elements of the `Cache-Control` and `Pragma` fields; `Pragma` is
    /// read only when no `Cache-Control` field is there (RFC 9111 §5.4).
    private init(cacheControl: [Substring], pragma: [Substring], namesCacheControl: Bool) {
        for field in cacheControl {
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
        if !namesCacheControl, pragma.contains(where: { $0.lowercased() == "no-cache" }) {
            noCache = true
        }
    }

    /// Delta-seconds: a non-negative decimal; too large values saturate (RFC 9111 §1.2.2).
    private static func seconds(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(text) ?? Int(Int32.max)
    }
}
