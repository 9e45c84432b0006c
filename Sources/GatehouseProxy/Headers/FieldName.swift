import GatehouseCore

/// A field's name as the gateway's decisions about fields see it: a `String` in a head built
/// for the pipeline's steps, or the bytes of a head still in the read buffer (``FieldBytes``),
/// so one decision serves both without turning bytes into strings.
protocol FieldName {
    /// The name's length in bytes.
    var byteCount: Int { get }
    /// Whether the name is `other`, ignoring ASCII case.
    func isNamed(_ other: String) -> Bool
    /// Whether the name begins with `prefix`, ignoring ASCII case.
    func hasNamePrefix(_ prefix: String) -> Bool
}

extension String: FieldName {
    var byteCount: Int { utf8.count }

    func isNamed(_ other: String) -> Bool { equalsIgnoringASCIICase(other) }

    func hasNamePrefix(_ prefix: String) -> Bool {
        var name = self
        return name.withUTF8 { UnsafeRawBufferPointer($0).hasPrefixIgnoringASCIICase(prefix) }
    }
}

/// Text of a received head, read in place: valid only while the buffer it points into is.
struct FieldBytes: FieldName {
    let bytes: UnsafeRawBufferPointer

    var byteCount: Int { bytes.count }

    func isNamed(_ other: String) -> Bool { bytes.equalsIgnoringASCIICase(other) }

    func hasNamePrefix(_ prefix: String) -> Bool { bytes.hasPrefixIgnoringASCIICase(prefix) }

    /// The text as a `String`.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension NameLengths {
    /// Whether a name of `name`'s length may be in the set (`false`: `name` certainly is not).
    func mayContain(_ name: some FieldName) -> Bool {
        mayContain(length: name.byteCount)
    }
}
