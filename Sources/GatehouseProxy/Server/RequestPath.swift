/// Checks on the request target's path.
enum RequestPath {
    /// `true` when a segment is `.` or `..` (also percent-encoded): such paths could reach a
    /// route other than the one they appear to, so they are refused rather than guessed at.
    static func hasDotSegments(_ path: Substring) -> Bool {
        guard path.containsASCII(UInt8(ascii: "."), or: UInt8(ascii: "%")) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).contains { segment in
            let lowered = segment.lowercased()
            return lowered == "." || lowered == ".." || lowered == "%2e" || lowered == "%2e%2e" || lowered == ".%2e" || lowered == "%2e."
        }
    }
}
