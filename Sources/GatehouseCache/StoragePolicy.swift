import GatehouseCore
import NIOHTTP1

/// Whether a response may be stored by a shared cache, and for how long it is fresh
/// (RFC 9111 §3 and §4.2.1), with the route's `ttl` as the freshness when the upstream gives none.
public enum StoragePolicy {
    /// Statuses stored (those RFC 9110 §15.1 calls heuristically cacheable, minus 405, 414 and 501,
    /// which say more about the request than about the resource).
    public static let storableStatuses: Set<UInt> = [200, 203, 204, 300, 301, 308, 404, 410]

    /// How long the response is fresh, and whether it must be revalidated at every use.
    public struct Freshness: Sendable, Equatable {
        public var seconds: Int
        public var mustRevalidate: Bool
        /// The upstream's `Age`.
        public var initialAge: Int

        public init(seconds: Int, mustRevalidate: Bool, initialAge: Int) {
            self.seconds = seconds
            self.mustRevalidate = mustRevalidate
            self.initialAge = initialAge
        }
    }

    /// Why a response was not stored.
    public enum Refusal: String, Error, Sendable, Equatable {
        case status, noStore = "no_store", isPrivate = "private", setsCookie = "set_cookie", varyStar = "vary_star"
        case authenticated, noFreshness = "no_freshness"
    }

    /// Decides for a response to a request the cache may answer. `authenticated`: the request
    /// carried credentials; `isPerConsumer`: the route's `vary_by` splits entries by consumer.
    public static func decide(
        status: HTTPResponseStatus, headers: HTTPHeaders, routeTTL: Int, authenticated: Bool, isPerConsumer: Bool
    ) -> Result<Freshness, Refusal> {
        guard storableStatuses.contains(status.code) else { return .failure(.status) }
        let control = CacheControl(headers)
        if control.noStore { return .failure(.noStore) }
        if control.isPrivate { return .failure(.isPrivate) }
        if headers.contains(name: "set-cookie") { return .failure(.setsCookie) }
        if CacheKey.varyNames(headers) == nil { return .failure(.varyStar) }
        // RFC 9111 §3.5: a response to an authenticated request is shared only when it says so.
        if authenticated, !isPerConsumer, !control.isPublic, control.sharedMaxAge == nil, !control.mustRevalidate {
            return .failure(.authenticated)
        }
        let seconds = control.sharedMaxAge ?? control.maxAge ?? routeTTL
        let hasValidators = headers.contains(name: "etag") || headers.contains(name: "last-modified")
        if control.noCache || seconds <= 0 {
            guard hasValidators else { return .failure(.noFreshness) }
        }
        let age = headers.first(name: "age").flatMap { Int($0[...].trimmingSpaces()) } ?? 0
        return .success(Freshness(seconds: max(0, seconds), mustRevalidate: control.noCache, initialAge: max(0, age)))
    }
}
