/// Counts and sizes of what the log holds.
public struct LogStatistics: Sendable, Equatable {
    /// Per (stream, kind): number of records and their total bytes.
    public var kinds: [KindKey: KindFigures]
    /// Highest sequence number assigned.
    public var lastSequence: SequenceNumber
    /// Bytes the storage uses on disk (0 when in memory).
    public var storageBytes: Int
    /// Current storage map size (0 when not applicable).
    public var mapSize: Int
    /// Records that could not be read (see ``EventLog/verify()``).
    public var unreadableRecords: Int = 0

    /// Identifies one event kind within a stream.
    public struct KindKey: Sendable, Hashable, Comparable {
        public var stream: EventStream
        public var kind: UInt16
        public init(stream: EventStream, kind: UInt16) {
            self.stream = stream
            self.kind = kind
        }
        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.stream.rawValue, lhs.kind) < (rhs.stream.rawValue, rhs.kind)
        }
    }

    /// Record count and bytes of one kind.
    public struct KindFigures: Sendable, Equatable {
        public var count: Int
        public var bytes: Int
        public init(count: Int = 0, bytes: Int = 0) {
            self.count = count
            self.bytes = bytes
        }
    }

    public init(kinds: [KindKey: KindFigures] = [:], lastSequence: SequenceNumber = 0, storageBytes: Int = 0, mapSize: Int = 0) {
        self.kinds = kinds
        self.lastSequence = lastSequence
        self.storageBytes = storageBytes
        self.mapSize = mapSize
    }

    /// Tallies one stored record.
    public mutating func count(_ bytes: UnsafeRawBufferPointer, sequence: SequenceNumber, stream: EventStream) {
        guard let view = try? RecordCodec.view(of: bytes, sequence: sequence, stream: stream) else {
            unreadableRecords += 1
            return
        }
        let key = KindKey(stream: view.stream, kind: view.kind)
        kinds[key, default: KindFigures()].count += 1
        kinds[key, default: KindFigures()].bytes += view.bytes.count
    }
}
