import Foundation

/// Finds executables built alongside the test bundle (`swift build --build-tests` builds them).
public enum BuiltProducts {
    /// The directory holding the test bundle and the package's executables.
    public static var directory: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // The runner may live inside `<bundle>.xctest/`; executables sit beside the bundle.
        while directory.pathExtension == "xctest" || !FileManager.default.fileExists(atPath: directory.appendingPathComponent("gatehouse").path) {
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        return directory
    }

    /// The path of the executable `name` (e.g. `gatehouse`).
    public static func path(of name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// What a finished child process printed and returned.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
}

/// Runs an executable to completion, capturing its output.
public func runProcess(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData, as: UTF8.self)
    )
}
