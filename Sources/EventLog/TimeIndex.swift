/// The time index maps each epoch minute to the first sequence recorded in it.
public enum TimeIndex {
    /// Microseconds in a minute.
    public static let microsecondsPerMinute: Int64 = 60_000_000

    /// The epoch minute holding `timestamp` (µs), clamped to the index's key range.
    public static func minute(of timestamp: Int64) -> UInt32 {
        let minute = timestamp / microsecondsPerMinute
        return UInt32(clamping: max(0, minute))
    }
}
