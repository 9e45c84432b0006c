import Foundation
import GatehouseCore
import NIOCore
import NIOHTTP1

/// One client request, from its head to its outcome: what was routed, which attempts went
/// where, what the client has been sent. Owned by the connection's ``ProxyHandler``.
final class Exchange {
    let head: ClientRequestHead
    let requestID: String
    let startTime: Timestamp
    let started: NIODeadline
    let path: Substring
    let query: Substring
    /// `path` as a `String`, made once: routing, the cache's resource and the outcome all keep it.
    lazy var pathText = String(path)
    /// The request's hop-by-hop fields (and what its `Connection` fields say), found once.
    let hopByHop: HopByHopHeaders.Present
    var keepAlive: Bool
    /// The client asked to switch protocols (WebSocket).
    let isUpgrade: Bool
    /// The upstream agreed (101); the tunnel starts once its response is parsed.
    var upgrading = false

    // Client, as far as trusted proxies tell
    var clientIP: ClientIP?
    /// An admin route test or cache preload: not recorded, not limited (see ``AdminRequestMarker``).
    var isRouteTest = false
    var isPreload = false
    var isAdminRequest: Bool { isRouteTest || isPreload }
    /// The authenticated API key, read in place (`keyStorage?.value.id`: the key as a whole is
    /// a large value to copy), and the field that carried it (removed before the upstream).
    /// Out of line: it and the limit result (``limitStorage``) are the two largest values an
    /// exchange may hold (264 and 353 bytes), and inline they took every exchange past the
    /// largest block glibc's per-thread cache serves (1,032 bytes: 1,545 bytes, where 944 are
    /// left), so each request's exchange was allocated and freed on malloc's slow path.
    private(set) var keyStorage: OutOfLine<APIKey>?
    var credentialField: PresentedCredential.Field?
    /// The caller a verified JWT names.
    var token: JWTIdentity?
    /// A signed route's body: its announced SHA-256 and size limit; the upstream is contacted
    /// only once the whole body arrived and matched.
    var signedBody: (digest: Data, limit: Int)?
    /// The body is held whole (up to this many bytes) before the first attempt: to transform it.
    var heldBodyLimit: Int?
    /// Waiting for the rest of a held (signed or transformed) body before the first attempt.
    var awaitingBody = false
    /// The route's transforms, when it has any.
    var transforms: RouteTransforms?
    /// The request body's length after a transform replaced it.
    var transformedRequestLength: Int?
    /// A response held whole to transform its body (head not yet sent).
    var heldResponse: HeldResponse?
    /// Why a transform left a body as it was (recorded in the outcome).
    var transformNote: String?
    /// How the limits judged the request (recorded, and described in the response's fields),
    /// out of line (see ``keyStorage``); set with `limitPlan` (``keep(limits:)``).
    private var limitStorage: OutOfLine<LimitResult>?
    /// The plan whose rules judged it: the fixed parts of the response's limit fields.
    var limitPlan: LimitPlan?
    /// The limit fields its response carries (`nil`: no enforced rule judged it), made from
    /// the result and its plan where a head is written.
    var rateLimitFields: RateLimitFields? {
        guard let limitPlan, let limitStorage else { return nil }
        return RateLimitFields(limitStorage, plan: limitPlan)
    }
    /// Whether its response carries limit fields, known without copying the result.
    var hasRateLimitFields: Bool {
        limitPlan.map { RateLimitFields.exist(tightest: limitStorage?.value.tightestIndex, plan: $0) } ?? false
    }
    /// The rules' evaluations as the outcome records them (none when no limit judged it).
    var recordedLimits: [RuleEvaluation] {
        guard limitPlan != nil, let limitStorage else { return [] }
        return limitStorage.value.recorded
    }
    /// Whether the client connection is TLS (HSTS is sent only then).
    var isTLS = false
    /// The gateway's CORS fields for this request's response (empty: CORS off or no origin).
    var corsFields: [(String, String)] = []
    /// The served API version's fields (`API-Version`, `Deprecation`, `Sunset`, `Link`).
    var versionFields: [(String, String)] = []
    var clientLocation: GeoPoint?
    /// The client's country (ISO code) and city, from a trusted CDN or the geo table.
    var country: String?
    var city: String?

    // Routing
    var gateway: ConfigSnapshot.GatewayView?
    /// The matched route's compiled entry (shared with the snapshot: its route is never copied).
    var routeEntry: RouteTable.Entry?
    var routeParameters = RouteParameters.none
    /// The path the route matched (the gateway's prefix taken off, a negotiated version put in).
    var matchedPath = ""
    var service = ""
    var instances: [BackendService] = []
    /// The trace the upstream request joins (made once, reused by retries).
    var trace: (context: TraceContext, keepsState: Bool)?

    /// The cache's part in a request on a caching route.
    var cache: CacheVisit?
    var cacheStatus: CacheStatus = .none

    // Request body: kept (for the next attempt) until it outgrows the replay limit.
    var pendingBody: [ByteBuffer] = []
    var requestBytes = 0
    var requestEnded = false
    var replayable = true

    // Attempts
    var instance: UpstreamInstance?
    var holdsPoolSlot = false
    var connection: UpstreamConnection?
    /// Instances whose attempts failed; a retry goes to another.
    var tried: Set<BackendServiceID> = []
    var retries = 0
    var attemptStarted: NIODeadline?
    var backendNanoseconds: Int64 = 0
    /// The read timeout armed for the current attempt (see ``ProxyHandler/armTimeout(_:)``).
    var readTimeoutMilliseconds: Int?
    /// Running while a peer does not take the bytes the gateway has for it.
    var writeStall: Scheduled<Void>?

    // Response
    /// Compresses the response body for the client, when it is being compressed.
    var compressor: DeflateStream?
    var responseStarted = false
    var responseEnded = false
    var status = 0
    var responseBytes = 0
    var upstreamKeepAlive = true
    var closeAfterResponse = false
    var pendingError: GatewayError?
    var decision: RequestDecision = .proxied
    var errorMessage: String?
    var outcomeRecorded = false

    /// `head` is stored last, moved in (read before, it would be stored as a copy: a count on
    /// each of its storages).
    init(head: consuming ClientRequestHead, requestID: String, startTime: Timestamp) {
        self.requestID = requestID
        self.startTime = startTime
        started = .now()
        hopByHop = HopByHopHeaders.present(in: head.headers)
        keepAlive = hopByHop.keepsConnectionOpen(in: head.version)
        isUpgrade = ProxyHandler.isUpgradeRequest(head)
        let uri = head.uri[...]
        // Searched as a byte buffer: the UTF-8 view's own search steps an index per byte.
        if let offset = uri.withUTF8Bytes({ $0.firstIndex(of: UInt8(ascii: "?")) }) {
            let mark = uri.utf8.index(uri.startIndex, offsetBy: offset)
            path = uri[..<mark]
            query = uri[uri.utf8.index(after: mark)...]
        } else {
            path = uri
            query = ""
        }
        self.head = head
    }

    var method: String { head.method.rawValue }

    /// Keeps the key that authenticated the request (`nil`: none was presented).
    func keep(apiKey key: APIKey?) {
        keyStorage = key.map { OutOfLine($0) }
    }

    /// Keeps how the limits judged the request.
    func keep(limits result: consuming LimitResult) {
        limitStorage = OutOfLine(result)
    }

    /// Whether the request may be sent again to another instance.
    var isRetryable: Bool { replayable && requestEnded && !responseStarted }
}
