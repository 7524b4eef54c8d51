import Foundation

/// The built `omsync` binary as a user runs it, for the end-to-end tests.
///
/// Output and errors go to temporary files rather than pipes, so a command that writes a lot to
/// both can never deadlock the test (a full pipe blocks the child while the test waits on the other).
public enum OMSyncBinary {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `.build/debug/omsync` (built by `scripts/test` before the tests run).
    public static let path = packageRoot.appendingPathComponent(".build/debug/omsync").path

    /// What one run of the binary did.
    public struct Run: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `omsync ARGUMENTS` in `directory` (default: the package root), feeding `input` on
    /// standard input when given (else /dev/null), and waits for it to exit.
    public static func run(_ arguments: [String], input: Data? = nil, in directory: URL? = nil) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        // A preview is ledger-aware when `.omsync/ledger.sqlite` exists in the working folder; a
        // developer who tried an import in the project root must not change what the tests see.
        let isolated = arguments.first == "preview" && !arguments.contains("--ledger")
        process.arguments = isolated ? arguments + ["--ledger", scratch.appendingPathComponent("no-ledger.sqlite").path] : arguments
        process.currentDirectoryURL = directory ?? packageRoot
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus,
                   output: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   errors: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
