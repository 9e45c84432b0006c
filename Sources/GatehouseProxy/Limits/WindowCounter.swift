/// Requests counted in time windows of `seconds`. A fixed window counts since its start; a
/// rolling window also counts the previous window's requests weighted by how much of it still
/// lies within the last `seconds` (the sliding-window estimate), so a burst at a window edge
/// cannot double the limit. 16 bytes: counts saturate at `UInt32.max` (a limit that high
/// never refuses).
struct WindowCounter: Sendable, Hashable {
    private var windowStart: Int64 = .min
    private var current: UInt32 = 0
    private var previous: UInt32 = 0

    struct Verdict: Equatable {
        let allowed: Bool
        /// The count this request was judged by (including it when allowed).
        let counted: Int
        let remaining: Int
        /// Microseconds until the count drops enough for one more request (0 if it already has).
        let retryAfterMicros: Int64
        /// Microseconds until the current window ends.
        let resetMicros: Int64
    }

    /// Checks one request at `now` (µs) against `limit` per `seconds`; counts it when allowed.
    mutating func check(now: Int64, seconds: Int, limit: Int, rolling: Bool) -> Verdict {
        let length = Int64(seconds) * 1_000_000
        // Still in the counted window (the common case): no division needed to know.
        let start = now >= windowStart && now < windowStart + length ? windowStart : now - ((now % length) + length) % length
        if start != windowStart {
            previous = windowStart != .min && start - windowStart == length ? current : 0
            current = 0
            windowStart = start
        }
        let elapsed = now - start
        let reset = length - elapsed
        // Rounded up: the estimate must never admit more than the limit.
        let carried = rolling ? Int((Double(previous) * Double(length - elapsed) / Double(length)).rounded(.up)) : 0
        let count = carried + Int(current)
        guard count < limit else {
            // Fixed: wait for the next window. Rolling: for enough of the previous window to slide out.
            var wait = reset
            if rolling, previous > 0, Int(current) < limit {
                let excess = Double(count - limit + 1)
                wait = min(reset, Int64((excess * Double(length) / Double(previous)).rounded(.up)))
            }
            return Verdict(allowed: false, counted: count, remaining: 0, retryAfterMicros: max(wait, 1), resetMicros: reset)
        }
        if current < .max { current += 1 }
        return Verdict(allowed: true, counted: count + 1, remaining: max(0, limit - count - 1), retryAfterMicros: 0, resetMicros: reset)
    }
}
