import Hummingbird

/// Per-request state of the admin API: the request id every response and error carries, and
/// who is asking (set by ``AdminAuthMiddleware``).
public struct AdminContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's `X-Request-ID` when it sent a sane one, else a new UUID.
    public var requestID: String = ""
    /// The authenticated caller; `nil` only before authentication ran.
    public var principal: AdminPrincipal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Admin bodies are configuration, not uploads.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The authenticated caller (the auth middleware guarantees one on every API route).
    var caller: AdminPrincipal {
        get throws {
            guard let principal else { throw AdminError(.unauthorized, "authentication_required", "authentication required") }
            return principal
        }
    }
}
