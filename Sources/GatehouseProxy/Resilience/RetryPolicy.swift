import GatehouseCore

/// How an upstream attempt failed.
public enum UpstreamFailure: Sendable, Equatable {
    /// No connection: the request was never sent.
    case connectFailed
    /// No response in time.
    case timedOut
    /// The connection broke after the request was (partly) sent.
    case connectionReset
    /// The upstream answered with this status.
    case status(Int)
}

/// When a failed attempt is retried on another instance, and after how long.
///
/// A connect failure is always retried (nothing reached the upstream). 502, 503 and 504 are
/// retried only for idempotent methods, as are resets, because the upstream may have acted on
/// the request. Timeouts are not retried: the request already spent its time. Backoff is
/// exponential with full jitter.
public struct RetryPolicy: Sendable, Equatable {
    /// Further attempts after the first (`retry_attempts`).
    public var maxRetries: Int
    /// First backoff ceiling.
    public var baseBackoffMilliseconds: Int
    /// Largest backoff ceiling.
    public var maxBackoffMilliseconds: Int

    public init(maxRetries: Int, baseBackoffMilliseconds: Int = 25, maxBackoffMilliseconds: Int = 1000) {
        self.maxRetries = maxRetries
        self.baseBackoffMilliseconds = baseBackoffMilliseconds
        self.maxBackoffMilliseconds = maxBackoffMilliseconds
    }

    /// Methods safe to repeat (RFC 9110 §9.2.2).
    public static let idempotentMethods: Set<String> = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]

    /// Whether attempt number `retriesSoFar + 1` may follow `failure`.
    public func shouldRetry(after failure: UpstreamFailure, method: String, retriesSoFar: Int) -> Bool {
        guard retriesSoFar < maxRetries else { return false }
        let idempotent = Self.idempotentMethods.contains(method)
        switch failure {
        case .connectFailed: return true
        case .connectionReset: return idempotent
        case .status(let status): return idempotent && [502, 503, 504].contains(status)
        case .timedOut: return false
        }
    }

    /// The wait before retry number `retry` (1-based): uniform in [0, min(max, base × 2^(retry-1))].
    public func backoffMilliseconds(beforeRetry retry: Int, using random: inout some RandomNumberGenerator) -> Int {
        let exponent = min(max(retry - 1, 0), 20)
        let ceiling = min(maxBackoffMilliseconds, baseBackoffMilliseconds << exponent)
        return Int.random(in: 0 ... max(ceiling, 0), using: &random)
    }
}
