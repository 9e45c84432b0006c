import NIOCore

/// A stored response's head as a cache hit sends it, encoded once: the bytes of the status line
/// and fields with gaps for the values that change from hit to hit — the request id, `Age`, and
/// the remaining freshness in the cache's `Surrogate-Control`/`Cache-Control`. A hit then
/// writes the head by copying bytes and filling the gaps, instead of building and encoding the
/// fields anew.
///
/// What else went into the head (the gateway's and backend service's names, TLS) is kept as
/// ``Circumstances``: a hit in other circumstances does not use it.
public final class EncodedHitHead: Sendable {
    /// A value filled in per hit.
    public enum Gap: Sendable, Equatable {
        /// The request's id (`X-Request-ID`).
        case requestID
        /// The entry's age in seconds (`Age`).
        case age
        /// The seconds it stays fresh (the `max-age` of the cache's own fields).
        case freshness
    }

    /// What the head was encoded for, besides the entry.
    public struct Circumstances: Sendable, Equatable {
        public var gatewayName: String
        public var service: String
        public var isTLS: Bool

        public init(gatewayName: String, service: String, isTLS: Bool) {
            self.gatewayName = gatewayName
            self.service = service
            self.isTLS = isTLS
        }
    }

    /// The head's bytes without the gaps.
    public let bytes: [UInt8]
    /// Where each gap goes in ``bytes`` (ascending offsets).
    public let gaps: [(offset: Int, gap: Gap)]
    public let circumstances: Circumstances
    /// The entry can be compressed: a client accepting a content coding gets it compressed,
    /// under another head.
    public let compressible: Bool

    public init(bytes: [UInt8], gaps: [(offset: Int, gap: Gap)], circumstances: Circumstances, compressible: Bool) {
        self.bytes = bytes
        self.gaps = gaps
        self.circumstances = circumstances
        self.compressible = compressible
    }

    /// Bytes it holds, as charged to the cache's budget (the encoded bytes, the gaps and the
    /// names in its circumstances).
    public var heldBytes: Int {
        bytes.count + gaps.count * 16 + circumstances.gatewayName.utf8.count + circumstances.service.utf8.count
    }

    /// Writes the head to `buffer` with the gaps filled: one reservation, the bytes copied and
    /// the numbers written as digits in place.
    public func write(into buffer: inout ByteBuffer, requestID: String, age: Int, freshness: Int) {
        let capacity = bytes.count + requestID.utf8.count + gaps.count * FieldValueWriter.numberCapacity
        FieldValueWriter.write(into: &buffer, capacity: capacity) { writer in
            bytes.withUnsafeBufferPointer { all in
                var start = 0
                for (offset, gap) in gaps {
                    writer.append(UnsafeBufferPointer(rebasing: all[start ..< offset]))
                    switch gap {
                    case .requestID: writer.append(requestID)
                    case .age: writer.append(age)
                    case .freshness: writer.append(freshness)
                    }
                    start = offset
                }
                writer.append(UnsafeBufferPointer(rebasing: all[start...]))
            }
        }
    }
}
