import Foundation

/// Runs a python3 script from the package root and returns its standard output (standard error
/// goes to a file, so a chatty script can never fill a pipe and block).
public enum PythonScript {
    /// A script that exited non-zero, with what it wrote to standard error.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `python3 ARGUMENTS` in the package root; throws when it exits non-zero.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = Project.root
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let errors = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            throw Failure(description: "python3 \(arguments.first ?? "") exited \(process.terminationStatus): \(errors)\(output)")
        }
        return output
    }
}
