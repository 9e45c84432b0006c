import Foundation

/// The gateway's structured lifecycle log: one JSON object per line on stdout.
enum StartupLog {
    static func write(_ fields: [String: Any]) {
        var fields = fields
        fields["time"] = ISO8601DateFormatter().string(from: Date())
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
