import NIOCore

/// A stored response's body in a content coding (gzip, deflate), made once — by the first hit
/// that asked for it — and sent as it is to every hit after it.
public final class CodedBody: Sendable {
    public let bytes: ByteBuffer

    public init(_ bytes: ByteBuffer) {
        self.bytes = bytes
    }
}
