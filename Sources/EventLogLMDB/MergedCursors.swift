import CLMDB
import EventLog

/// The records of one or more streams' databases in global sequence order: one cursor per
/// stream, each step yielding the lowest sequence among their heads — a full-order replay
/// merges the control and traffic streams this way. Each record is CRC-checked as it is read.
struct MergedCursors {
    private let cursors: [LMDBCursor]
    private let streams: [EventStream]
    private let after: SequenceNumber
    private var heads: [LMDBCursor.Entry?]

    /// Positions each cursor (over `streams` in the same order) at the first record after `after`.
    init(_ cursors: [LMDBCursor], streams: [EventStream], after: SequenceNumber) throws {
        let start = after == .max ? after : after + 1
        self.cursors = cursors
        self.streams = streams
        heads = try withUnsafeBytes(of: start.bigEndian) { key in try cursors.map { try $0.seek(atOrAfter: key) } }
        self.after = after
    }

    /// The next record in sequence order, checked; nil after the last.
    mutating func next() throws -> RecordView? {
        var next: (slot: Int, sequence: SequenceNumber)?
        for (slot, head) in heads.enumerated() {
            guard let head else { continue }
            let sequence = head.key.loadBigEndian(UInt64.self, at: 0)
            if next == nil || sequence < next!.sequence { next = (slot, sequence) }
        }
        guard let (slot, sequence) = next, sequence > after else { return nil }
        let view = try RecordCodec.view(of: heads[slot]!.value, sequence: sequence, stream: streams[slot])
        heads[slot] = try cursors[slot].move(MDB_NEXT)
        return view
    }
}
