import NIOCore
import Testing

@testable import GatehouseProxy

/// The write gatherer reuses the storage of the buffer it last handed to the channel — but only
/// once nothing else holds it: bytes still queued for the socket must never change under it.
@Suite("Write gatherer")
struct WriteGathererTests {
    static func gathered(_ text: String, into gatherer: inout WriteGatherer) -> ByteBuffer? {
        _ = gatherer.append(using: ByteBufferAllocator()) { $0.writeString(text) }
        return gatherer.take()
    }

    static func address(of buffer: ByteBuffer) -> UInt? {
        buffer.withUnsafeReadableBytes { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    @Test("a buffer still held (queued in the channel) keeps its bytes while the next message is gathered")
    func heldBufferUntouched() throws {
        var gatherer = WriteGatherer()
        let first = try #require(Self.gathered("HTTP/1.1 200 OK\r\n\r\nfirst", into: &gatherer))
        let second = try #require(Self.gathered("HTTP/1.1 404 Not Found\r\n\r\nsecond", into: &gatherer))
        #expect(String(buffer: first) == "HTTP/1.1 200 OK\r\n\r\nfirst")
        #expect(String(buffer: second) == "HTTP/1.1 404 Not Found\r\n\r\nsecond")
        #expect(Self.address(of: first) != Self.address(of: second))
    }

    @Test("once the channel let go of the last buffer, the next message is gathered in its storage")
    func releasedStorageReused() throws {
        var gatherer = WriteGatherer()
        // Grown past a new buffer's 1 KiB: a reused storage shows by its capacity.
        var first = try #require(Self.gathered(String(repeating: "f", count: 2000), into: &gatherer))
        #expect(first.capacity >= 2000)
        first = ByteBuffer()  // written and dropped by the channel
        let second = try #require(Self.gathered("second", into: &gatherer))
        #expect(String(buffer: second) == "second")
        #expect(second.capacity >= 2000)
    }

    @Test("a buffer grown past the kept capacity is not kept")
    func largeBufferNotKept() throws {
        var gatherer = WriteGatherer()
        var large = try #require(Self.gathered(String(repeating: "x", count: 8 * 1024), into: &gatherer))
        #expect(large.capacity >= 8 * 1024)
        large = ByteBuffer()
        let next = try #require(Self.gathered("small", into: &gatherer))
        #expect(String(buffer: next) == "small")
        #expect(next.capacity < 4 * 1024)  // a fresh buffer: a kept one would have kept its capacity
    }
}
