import Dispatch
import Foundation

/// The built `omsync` binary as a user runs it, for the end-to-end tests.
///
/// Output and errors go to temporary files rather than pipes, so a command that writes a lot to
/// both can never deadlock the test (a full pipe blocks the child while the test waits on the other).
public enum OMSyncBinary {
    /// `.build/debug/omsync` (built by `scripts/test` before the tests run).
    public static let path = Project.path(".build/debug/omsync")

    /// What one run of the binary did.
    public struct Run: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    struct StaleBinary: Error, CustomStringConvertible {
        var description: String
    }

    /// Why the binary cannot be trusted to be the current sources' (missing, or older than a
    /// file under Sources/), or nil. Checked once per test process.
    static let staleness: String? = {
        let manager = FileManager.default
        guard let built = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
            return "\(path) does not exist: build it first (`swift build --build-tests`, as scripts/test does)"
        }
        // Sources only: a Package.swift edit (say, a test target's dependencies) need not relink the binary.
        var sources: [URL] = []
        let enumerator = manager.enumerator(at: Project.url("Sources"), includingPropertiesForKeys: [.contentModificationDateKey])
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "swift" { sources.append(url) }
        }
        for source in sources {
            guard let changed = try? source.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate else { continue }
            if changed > built {
                return "\(path) is older than \(source.path): it was not built from the current sources; run `swift build --build-tests` (scripts/test does) before the tests"
            }
        }
        return nil
    }()

    /// `path`, once it is known to be built from the current sources (else throws saying why).
    public static func checkedPath() throws -> String {
        if let staleness { throw StaleBinary(description: staleness) }
        return path
    }

    /// Runs `omsync ARGUMENTS` and waits for it on a thread of its own rather than on the test's
    /// thread: many tests that each wait seconds for the binary must not hold every thread of
    /// Swift's cooperative pool (two on a 2-core machine), or the async tests beside them starve
    /// (a sandbox test once waited over a minute for a save the starved pool never ran).
    public static func run(_ arguments: [String], input: Data? = nil, in directory: URL? = nil,
                           environment: [String: String] = [:]) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runBlocking(arguments, input: input, in: directory, environment: environment) })
            }.start()
        }
    }

    /// Runs `omsync ARGUMENTS` in `directory` (default: the package root), feeding `input` on
    /// standard input when given (else /dev/null), with `environment` added to this process's,
    /// and waits for it to exit, blocking the calling thread: for threads of the test's own (an
    /// async test calls `run`). Throws when the binary is not built from the current sources.
    @available(*, noasync, message: "blocks its thread: from an async test, call `run`")
    public static func runBlocking(_ arguments: [String], input: Data? = nil, in directory: URL? = nil,
                           environment: [String: String] = [:]) throws -> Run {
        if let staleness { throw StaleBinary(description: staleness) }
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
        process.currentDirectoryURL = directory ?? Project.root
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
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

/// Blocking HTTP calls to a loopback server, for tests that watch a server while a child process
/// works on it. They go over a plain socket (`RawHTTP`), not URLSession: the shared session's one
/// queue is kept busy by the many tests running at once, and a watch through it once saw nothing
/// for 30 s while the server answered. Bodies are returned whatever the status, as URLSession does.
public enum BlockingHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The body of `GET url`; throws on a transport error or after `timeout` seconds.
    public static func get(_ url: String, headers: [String: String] = [:], timeout: Double = 30) throws -> Data {
        try send("GET", url, headers: headers, body: [], timeout: timeout)
    }

    /// `PUT url` with a JSON body (the sandbox's admin API); returns the response body.
    public static func put(_ url: String, json: String, timeout: Double = 30) throws -> Data {
        try send("PUT", url, headers: ["Content-Type": "application/json"], body: Array(json.utf8), timeout: timeout)
    }

    /// `POST url` with `body`; returns the response body.
    public static func post(_ url: String, body: Data, headers: [String: String] = [:], timeout: Double = 30) throws -> Data {
        try send("POST", url, headers: headers, body: Array(body), timeout: timeout)
    }

    private static func send(_ method: String, _ url: String, headers: [String: String], body: [UInt8], timeout: Double) throws -> Data {
        guard let target = RawHTTP.loopback(url) else { throw Failure(description: "not a loopback http:// URL: \(url)") }
        let answer = try RawHTTP.request(method, port: target.port, target.path, headers: headers, body: body,
                                         timeout: max(1, Int(timeout.rounded(.up))))
        return Data(answer.body)
    }
}
