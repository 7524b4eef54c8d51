import Foundation

/// Runs a python3 script from the package root and returns its standard output (standard error
/// goes to a file, so a chatty script can never fill a pipe and block). The wait is a
/// continuation resumed by the process's termination handler: no thread of the cooperative pool
/// is held while python3 runs.
public enum PythonScript {
    /// A script that exited non-zero, with what it wrote to standard error.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `python3 ARGUMENTS` in the package root; throws when it exits non-zero.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> String {
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
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let output = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let errors = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            throw Failure(description: "python3 \(arguments.first ?? "") exited \(process.terminationStatus): \(errors)\(output)")
        }
        return output
    }
}
