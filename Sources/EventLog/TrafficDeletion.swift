/// What one ``EventLog/deleteTraffic(through:before:limit:)`` call removed.
public struct TrafficDeletion: Sendable, Equatable {
    /// Records deleted.
    public var count: Int
    /// The last deleted record's sequence (nil when none was).
    public var lastSequence: SequenceNumber?
    /// Whether it stopped at `limit` with more records eligible.
    public var more: Bool

    public init(count: Int = 0, lastSequence: SequenceNumber? = nil, more: Bool = false) {
        self.count = count
        self.lastSequence = lastSequence
        self.more = more
    }
}
