/// Request fields by which the admin API marks the requests it sends through this process's
/// own proxy; their value is the process's secret token, so clients cannot claim them, and they
/// never reach an upstream.
public enum AdminRequestFields {
    /// A route test (`POST /api/gateway/routes/{id}/test`).
    public static let routeTest = "X-Gatehouse-Route-Test"
    /// A cache preload (`POST /api/gateway/cache/preload`): fetched from the upstream even when
    /// a fresh entry exists, and stored.
    public static let cachePreload = "X-Gatehouse-Cache-Preload"
    /// On a preload's response: the key the response is being stored under.
    public static let cacheKey = "X-Gatehouse-Cache-Key"
    /// On a preload's response: why it is not stored (`no_store`, `private`, `set_cookie`, …).
    public static let cacheRefusal = "X-Gatehouse-Cache-Refusal"
}
