/// The Generic Cell Rate Algorithm: a token bucket kept as one number, the theoretical arrival
/// time (TAT) of the next conforming request. `rate` requests per second are emitted one per
/// interval `T = 1 s / rate`; a burst of `burst` requests fits because a request conforms when
/// `now ≥ TAT − (burst − 1)·T`. O(1), no timers, exact under any arrival pattern.
struct GCRA: Sendable, Hashable {
    /// Microseconds; 0 for a fresh bucket.
    private(set) var theoreticalArrival: Int64 = 0

    /// The answer for one request.
    struct Verdict: Equatable {
        let allowed: Bool
        /// Requests that would still conform right now after this one.
        let remaining: Int
        /// Microseconds until the next request conforms (0 when one already does).
        let retryAfterMicros: Int64
        /// Microseconds until the bucket is full again.
        let resetMicros: Int64
    }

    /// Checks one request at `now` (µs) and takes a token if it conforms.
    mutating func check(now: Int64, rate: Int, burst: Int) -> Verdict {
        let interval = 1_000_000 / Int64(max(rate, 1))
        let capacity = Int64(max(burst, 1))
        let tolerance = (capacity - 1) * interval
        let arrival = max(theoreticalArrival, now)
        guard now >= arrival - tolerance else {
            return Verdict(allowed: false, remaining: 0, retryAfterMicros: arrival - tolerance - now, resetMicros: arrival - now)
        }
        theoreticalArrival = arrival + interval
        let backlog = theoreticalArrival - now
        let remaining = Int(max(0, (tolerance - backlog + interval) / interval))
        let nextWait = max(0, theoreticalArrival - tolerance - now)
        return Verdict(allowed: true, remaining: remaining, retryAfterMicros: remaining > 0 ? 0 : nextWait, resetMicros: backlog)
    }
}
