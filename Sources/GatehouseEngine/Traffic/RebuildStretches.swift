/// Where a parallel metrics rebuild cuts the log: consecutive stretches of sequences with about
/// equal work. A rebuild builds minutes only for the outcomes whose minutes retention keeps
/// (``MetricsBuckets/anticipateRetention(through:)``) — the last two days of a long log — and
/// those cost about half as much again as outcomes counted by the hour only (one thread folded
/// 0.79 M outcomes/s building every minute, 1.2–1.3 M/s building only the last two days' minutes of thirty days:
/// `gatehouse bench metrics`, 2026-11-27), so cuts by count alone leave the last stretch the
/// longest.
enum RebuildStretches {
    /// The work of an outcome whose minute is built, in outcomes counted by the hour only.
    static let keptMinuteCost = 1.5

    /// `parts + 1` ascending bounds from 0 to `last`: stretch `i` folds the sequences after
    /// `bounds[i]` through `bounds[i + 1]`. Sequences after `minutesKeptAfter` have their minutes
    /// built.
    static func bounds(last: UInt64, parts: Int, minutesKeptAfter: UInt64) -> [UInt64] {
        let light = Double(min(minutesKeptAfter, last))
        let total = light + keptMinuteCost * (Double(last) - light)
        return (0 ... parts).map { part in
            guard part < parts else { return last }
            let work = total * Double(part) / Double(parts)
            let position = work <= light ? work : light + (work - light) / keptMinuteCost
            return min(last, UInt64(position.rounded()))
        }
    }
}
