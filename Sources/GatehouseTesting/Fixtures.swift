import Foundation

/// Files under the repository's `fixtures/` folder.
public enum Fixtures {
    /// The repository root, found from this source file's location.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of `fixtures/<name>`.
    public static func path(_ name: String) -> String { root.appendingPathComponent("fixtures/\(name)").path }

    /// The contents of `fixtures/<name>`.
    public static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
}
