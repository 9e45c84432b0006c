import Dispatch
import Foundation
import Synchronization

/// Writes text lines to a file (or standard output) on a background queue, so event loops never
/// wait on the disk. At most `capacity` lines wait; beyond, lines are dropped and counted.
public final class LineWriter: Sendable {
    private let handle: FileHandle
    private let queue = DispatchQueue(label: "gatehouse.line-writer")
    private let capacity: Int
    private let pending = Mutex<(lines: [String], dropped: Int)>(([], 0))

    /// `path` `-` means standard output; otherwise the file is created or appended to.
    public init(path: String, capacity: Int = 100_000) throws {
        if path == "-" {
            handle = FileHandle.standardOutput
        } else {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            guard let file = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
            file.seekToEndOfFile()
            handle = file
        }
        self.capacity = capacity
    }

    /// Queues one line (without its newline).
    public func write(_ line: String) {
        let first = pending.withLock { pending -> Bool in
            guard pending.lines.count < capacity else {
                pending.dropped += 1
                return false
            }
            pending.lines.append(line)
            return pending.lines.count == 1
        }
        if first { queue.async { self.drain() } }
    }

    /// Lines dropped because the writer fell behind.
    public var dropped: Int { pending.withLock { $0.dropped } }

    /// Waits until every queued line is written.
    public func flush() {
        queue.sync { drain() }
    }

    private func drain() {
        let lines = pending.withLock { pending -> [String] in
            defer { pending.lines.removeAll(keepingCapacity: true) }
            return pending.lines
        }
        guard !lines.isEmpty else { return }
        handle.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
