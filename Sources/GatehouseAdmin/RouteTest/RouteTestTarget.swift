/// Where route tests go: this process's proxy listener, and the token that marks a request as a
/// test there (see `AdminRequestMarker` in the proxy).
public struct RouteTestTarget: Sendable {
    /// An address the proxy answers on (loopback when it listens on every interface).
    public var host: String
    public var port: Int
    public var token: String

    public init(host: String, port: Int, token: String) {
        self.host = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        self.port = port
        self.token = token
    }

    /// A fresh per-process token.
    public static func newToken() -> String { SecretGenerator.token(prefix: "rt_") }
}
