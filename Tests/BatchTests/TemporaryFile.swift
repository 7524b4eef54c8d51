import Foundation

/// Temporary files for batch tests (one directory per test process).
enum TemporaryFile {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "omsync-batch-tests-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A fresh path (unique name) in the test directory.
    static func path(_ name: String) throws -> String {
        directory + "/" + UUID().uuidString + "-" + name
    }

    /// Writes `bytes` to a fresh file and returns its path.
    static func write(_ bytes: [UInt8], name: String = "batch.json") throws -> String {
        let path = try path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes text to a fresh file and returns its path.
    static func write(_ text: String, name: String = "batch.json") throws -> String {
        try write(Array(text.utf8), name: name)
    }

    /// Removes a file made here (tests remove what they write, so runs leave no batches behind).
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The bytes of a file.
    static func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
