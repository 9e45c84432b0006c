import GatehouseCore
import NIOHTTP1

/// The fields a cache hit sets itself — `Age`, `X-Cache`, `Surrogate-Control`, and
/// `Cache-Control` when the upstream set none — as a set: which of them a stored response
/// already holds. A hit replaces those it holds and simply adds the others, with no search
/// through the fields for each.
public struct ServingFields: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let age = ServingFields(rawValue: 1 << 0)
    public static let xCache = ServingFields(rawValue: 1 << 1)
    public static let surrogateControl = ServingFields(rawValue: 1 << 2)
    public static let cacheControl = ServingFields(rawValue: 1 << 3)
    /// All of them: what to assume of fields not looked at.
    public static let all: ServingFields = [.age, .xCache, .surrogateControl, .cacheControl]

    /// Those of them `headers` holds (names in any case), in one pass.
    public init(presentIn headers: HTTPHeaders) {
        self = []
        for (name, _) in headers {
            if name.equalsIgnoringASCIICase("Age") {
                insert(.age)
            } else if name.equalsIgnoringASCIICase("X-Cache") {
                insert(.xCache)
            } else if name.equalsIgnoringASCIICase("Surrogate-Control") {
                insert(.surrogateControl)
            } else if name.equalsIgnoringASCIICase("Cache-Control") {
                insert(.cacheControl)
            }
        }
    }
}
