import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

/// A blocking HTTP GET for tests that watch a server while a child process works on it.
///
/// It waits on a semaphore for URLSession's completion handler, which URLSession calls on its
/// own queue: unlike `await URLSession.data`, whose continuation must wait for a free thread of
/// the (small) cooperative pool, it answers on time even while every other test is blocking
/// the pool (a test that polled with `await` saw an import only after it had finished).
public enum BlockingHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The body of `GET url`; throws on a transport error or after `timeout` seconds.
    public static func get(_ url: String, headers: [String: String] = [:], timeout: Double = 30) throws -> Data {
        guard let target = URL(string: url) else { throw Failure(description: "not a URL: \(url)") }
        var request = URLRequest(url: target)
        request.timeoutInterval = timeout
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try send(request, timeout: timeout)
    }

    /// `PUT url` with a JSON body (the sandbox's admin API); returns the response body.
    public static func put(_ url: String, json: String, timeout: Double = 30) throws -> Data {
        guard let target = URL(string: url) else { throw Failure(description: "not a URL: \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = "PUT"
        request.httpBody = Data(json.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = timeout
        return try send(request, timeout: timeout)
    }

    private static func send(_ request: URLRequest, timeout: Double) throws -> Data {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        URLSession.shared.dataTask(with: request) { data, _, error in
            result.set(data.map { .success($0) } ?? .failure(error ?? Failure(description: "no body from \(request.url?.absoluteString ?? "")")))
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + timeout + 5) == .success else {
            throw Failure(description: "\(request.httpMethod ?? "GET") \(request.url?.absoluteString ?? "") timed out")
        }
        return try result.get()
    }

    private final class ResultBox: @unchecked Sendable {
        // Written once by the completion handler before `signal`, read after `wait`: the
        // semaphore orders the two.
        private var value: Result<Data, Error>?
        func set(_ value: Result<Data, Error>) { self.value = value }
        func get() throws -> Data {
            guard let value else { throw Failure(description: "no result") }
            return try value.get()
        }
    }
}
