import CISAL

/// CRC-32 with zlib's polynomial and conventions (CRC-32/ISO-HDLC, the value zlib's `crc32`
/// returns), computed by ISA-L's `crc32_gzip_refl`, which gives identical values and is about
/// ten times faster than Debian's zlib on short records (a test cross-checks it against zlib).
/// Called through `gatehouse_crc32_gzip` (CISAL's shim), which clears the vector registers'
/// upper halves that ISA-L's AVX-512 code leaves dirty.
public enum CRC32 {
    /// The checksum of `bytes`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return gatehouse_crc32_gzip(0, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
