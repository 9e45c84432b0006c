/// What ``EventLog/verify()`` found.
public struct VerificationReport: Sendable, Equatable {
    /// Records whose CRC and envelope are sound, per stream.
    public var validRecords: [EventStream: Int]
    /// Every bad record, by sequence, with the reason.
    public var corruptRecords: [CorruptRecord]

    /// A record that failed verification.
    public struct CorruptRecord: Sendable, Equatable {
        public var sequence: SequenceNumber
        public var stream: EventStream
        public var reason: String

        public init(sequence: SequenceNumber, stream: EventStream, reason: String) {
            self.sequence = sequence
            self.stream = stream
            self.reason = reason
        }
    }

    /// `true` when no record is corrupt.
    public var isClean: Bool { corruptRecords.isEmpty }

    public init(validRecords: [EventStream: Int] = [:], corruptRecords: [CorruptRecord] = []) {
        self.validRecords = validRecords
        self.corruptRecords = corruptRecords
    }

    /// Verifies one stored record and tallies the result.
    public mutating func check(_ bytes: UnsafeRawBufferPointer, sequence: SequenceNumber, stream: EventStream) {
        do {
            _ = try RecordCodec.view(of: bytes, sequence: sequence, stream: stream)
            validRecords[stream, default: 0] += 1
        } catch let EventLogError.corruptRecord(sequence, reason) {
            corruptRecords.append(CorruptRecord(sequence: sequence, stream: stream, reason: reason))
        } catch {
            corruptRecords.append(CorruptRecord(sequence: sequence, stream: stream, reason: "\(error)"))
        }
    }
}
