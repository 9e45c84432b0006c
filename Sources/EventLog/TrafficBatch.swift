/// Traffic events ready to append, their records (as ``RecordCodec`` writes them) back to back
/// in one buffer that is kept and reused.
///
/// A proxy records an outcome per request: as one array each, every record was allocated on an
/// event loop and freed by the storage writer's thread, which defeats malloc's per-thread caches
/// on both (the loop's allocations miss its cache, the writer's frees take the arena's slow
/// path). A recorder instead fills one batch while the log writes another and swaps them, so a
/// steady stream of outcomes allocates and frees nothing.
///
/// Not thread-safe: a batch belongs to one thread at a time (the recorder hands it over under
/// its lock).
public final class TrafficBatch: @unchecked Sendable {
    /// One record's place in the buffer and its time.
    private struct Entry {
        let start: Int
        let end: Int
        let timestamp: Int64
    }

    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0
    private var entries: [Entry] = []

    /// An empty batch with room for `bytes` of records before it grows.
    public init(capacity bytes: Int = 4096) {
        capacity = max(bytes, 64)
        storage = .allocate(byteCount: capacity, alignment: 8)
    }

    /// A batch of `appends`' records, in order.
    public convenience init(_ appends: [TrafficAppend]) {
        self.init(capacity: appends.reduce(0) { $0 + $1.record.count })
        for append in appends {
            _ = append.record.withUnsafeBytes { record in
                add(timestamp: append.timestamp, size: record.count) { room in
                    room.copyMemory(from: record)
                    return record.count
                }
            }
        }
    }

    deinit { storage.deallocate() }

    /// How many records it holds.
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// The first and the last record's times (µs), when there are records.
    public var timeSpan: (first: Int64, last: Int64)? {
        guard let first = entries.first, let last = entries.last else { return nil }
        return (first.timestamp, last.timestamp)
    }

    /// Encodes a record at the end, as ``RecordCodec/encode(kind:schemaVersion:timestamp:correlationID:actor:payloadCapacity:writePayload:)``
    /// does into an array of its own.
    public func append(
        kind: UInt16, schemaVersion: UInt8, timestamp: Int64, correlationID: String, actor: String, payloadCapacity: Int,
        writePayload: (UnsafeMutableRawBufferPointer) throws -> Int?
    ) throws {
        var end = End(batch: self, timestamp: timestamp)
        try RecordCodec.encode(
            kind: kind, schemaVersion: schemaVersion, timestamp: timestamp, correlationID: correlationID, actor: actor,
            payloadCapacity: payloadCapacity, writePayload: writePayload, into: &end
        )
    }

    /// Calls `body` with each record's bytes (valid during the call) and time, in order.
    public func forEach(_ body: (UnsafeRawBufferPointer, Int64) throws -> Void) rethrows {
        for entry in entries {
            try body(UnsafeRawBufferPointer(start: storage + entry.start, count: entry.end - entry.start), entry.timestamp)
        }
    }

    /// Empties it, keeping its room.
    public func removeAll() {
        used = 0
        entries.removeAll(keepingCapacity: true)
    }

    /// Gives `write` room of `size` bytes at the end and keeps what it wrote as a record;
    /// `false` when it wrote nothing (it asked for more room).
    private func add(timestamp: Int64, size: Int, _ write: (UnsafeMutableRawBufferPointer) throws -> Int?) rethrows -> Bool {
        reserve(size)
        guard let length = try write(UnsafeMutableRawBufferPointer(start: storage + used, count: size)) else { return false }
        entries.append(Entry(start: used, end: used + length, timestamp: timestamp))
        used += length
        return true
    }

    /// A batch's end, where the codec places a record.
    private struct End: RecordDestination {
        let batch: TrafficBatch
        let timestamp: Int64

        func place(size: Int, _ write: (UnsafeMutableRawBufferPointer) throws -> Int?) rethrows -> Bool {
            try batch.add(timestamp: timestamp, size: size, write)
        }
    }

    /// Makes room for `size` more bytes, doubling the buffer as often as needed.
    private func reserve(_ size: Int) {
        guard used + size > capacity else { return }
        var grown = capacity
        while used + size > grown { grown *= 2 }
        let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
        larger.copyMemory(from: storage, byteCount: used)
        storage.deallocate()
        (storage, capacity) = (larger, grown)
    }
}
