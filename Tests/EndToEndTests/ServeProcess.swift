import Foundation
import TestSupport

/// `omsync serve` as a process: started on a free port, its page's token read, asked over HTTP,
/// and always stopped. For tests that check what the command (not the library) wires up.
enum ServeProcess {
    /// Runs `omsync serve --port 0 ARGUMENTS` in `folder` (default: the package root), calls
    /// `body` with its base URL and token, then stops it. Blocks its thread: call it off the pool.
    static func with<T>(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:],
                        _ body: (_ base: String, _ token: String) throws -> T) throws -> T {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = folder ?? Project.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        var printed = Data()
        let deadline = ContinuousClock.now + .seconds(60)
        while !String(decoding: printed, as: UTF8.self).contains("\n"), ContinuousClock.now < deadline, process.isRunning {
            printed.append(out.fileHandleForReading.availableData)
        }
        let line = String(decoding: printed, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("listening on ") } ?? ""
        let base = String(line.dropFirst("listening on ".count))
        let page = String(decoding: try BlockingHTTP.get(base + "/"), as: UTF8.self)
        guard let token = page.firstMatch(of: /[0-9a-f]{64}/) else {
            throw SandboxEndToEndTests.RunningSandbox.Failure(description: "serve printed \(line.isEmpty ? "nothing" : line) and its page has no token")
        }
        return try body(base, String(token.0))
    }

    /// `POST path` with a JSON body and the run's token.
    static func post(_ base: String, _ path: String, token: String, json: String) throws -> Data {
        try BlockingHTTP.post(base + path, body: Data(json.utf8), headers: ["X-OMSync-Token": token, "Content-Type": "application/json"])
    }
}
