import Foundation

/// Where a file is mapped into this process: the address ranges `/proc/self/maps` lists for it.
enum MappedRanges {
    /// The ranges mapping `file` (an absolute path with symbolic links resolved); none when the
    /// list cannot be read (not Linux) or the file is not mapped.
    static func of(file: String) -> [Range<UInt>] {
        // Read to the end: a /proc file reports no size, so a reader trusting the size gets nothing.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return [] }
        defer { try? handle.close() }
        guard let bytes = try? handle.readToEnd() else { return [] }
        return parse(String(decoding: bytes, as: UTF8.self), file: file)
    }

    /// The ranges of `maps` (the `/proc/<pid>/maps` format: `start-end perms offset device
    /// inode path`, addresses in hexadecimal) whose path is `file`.
    static func parse(_ maps: String, file: String) -> [Range<UInt>] {
        maps.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[5].trimmingCharacters(in: .whitespaces) == file else { return nil }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), start < end else { return nil }
            return start ..< end
        }
    }
}
