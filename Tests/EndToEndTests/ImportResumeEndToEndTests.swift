import Batch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `omsync import` stopped part-way (Ctrl-C, and `kill -9`) and run again: the binaries against
/// the sandbox binary with latency, a real ledger. The second run resumes and the end state is
/// the same as one uninterrupted run: every order created exactly once.
@Suite(.serialized) struct ImportResumeEndToEndTests {
    static let orders = 120

    /// `orders` copies of the first sample order (BEAN001, creates cleanly), each with its own id and number.
    static func batch(in folder: URL) throws -> String {
        let envelope = try JSONValue.parse(Array(try Data(contentsOf: Project.url("samples/orders-envelope.json"))))
        let text = try #require(envelope["data"]?[0]?.serialized())
        let copies = (0..<orders).map { n in
            text.replacingOccurrences(of: "3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e01", with: String(format: "7e5e7f90-0a1b-4c2d-8e3f-%012d", n))
                .replacingOccurrences(of: "OM10452", with: "OMR\(10_000 + n)")
        }
        let path = folder.appendingPathComponent("resume.json").path
        try Data(("[" + copies.joined(separator: ",\n") + "]").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Starts `omsync import` with the sandbox's credentials in the environment.
    static func startImport(_ batch: String, ledger: String, sandbox: SandboxEndToEndTests.RunningSandbox, folder: URL, name: String) throws -> Process {
        func value(_ label: String) -> String {
            sandbox.printed.split(separator: "\n").first { $0.contains(label) }.map {
                String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
            } ?? ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        process.arguments = ["import", batch, "--ledger", ledger, "--concurrency", "1", "--format", "json"]
        process.currentDirectoryURL = Project.root
        var environment = ProcessInfo.processInfo.environment
        environment["UNLEASHED_API_ID"] = value("api id:")
        environment["UNLEASHED_API_KEY"] = value("api key:")
        environment["UNLEASHED_API_URL"] = sandbox.baseURL
        process.environment = environment
        for suffix in ["out", "err"] { _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name + "." + suffix).path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: folder.appendingPathComponent(name + ".out"))
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent(name + ".err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func wait(_ process: Process, seconds: Double = 120) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The sales orders in the sandbox whose CustomerRef is one of ours.
    static func ourOrders(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> [String] {
        let data = try BlockingHTTP.get(sandbox.baseURL + "/_sandbox/state")
        let state = try JSONValue.parse(Array(data))
        return (state["salesOrders"]?.arrayValue ?? []).compactMap { $0["CustomerRef"]?.stringValue }.filter { $0.hasPrefix("OMR") }
    }

    @Test(arguments: [SIGINT, SIGKILL])
    func aStoppedImportResumesToTheSameEndState(_ signal: Int32) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Slow calls until the stop (120 orders one at a time at 300 ms give the watch some 35 s
        // to see five arrive and stop the run, however loaded the machine), none after it.
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--latency-ms", "300"])
        let batch = try Self.batch(in: folder)
        let ledger = folder.appendingPathComponent("ledger.sqlite").path

        let first = try Self.startImport(batch, ledger: ledger, sandbox: sandbox, folder: folder, name: "first")
        // Wait until some orders are in, then stop it part-way.
        try await OffPool.poll(everyMilliseconds: 50, for: 60) { try Self.ourOrders(sandbox).count >= 5 || !first.isRunning }
        #expect(first.isRunning, "the import is still running when it is stopped")
        kill(first.processIdentifier, signal)
        try await OffPool.run { Self.wait(first) }
        try await sandbox.setLatency(milliseconds: 0)
        let partial = try Self.ourOrders(sandbox)
        #expect(partial.count < Self.orders, "stopped part-way (\(partial.count) of \(Self.orders))")
        if signal == SIGINT {
            #expect(first.terminationStatus == 130, "Ctrl-C exits 130")
            let summary = try JSONValue.parse(Array(try Data(contentsOf: folder.appendingPathComponent("first.out"))))
            #expect(summary.serialized().contains("interrupted"), "\(summary.serialized())")
        } else {
            #expect(first.terminationReason == .uncaughtSignal)
        }

        let second = try Self.startImport(batch, ledger: ledger, sandbox: sandbox, folder: folder, name: "second")
        try await OffPool.run { Self.wait(second) }
        let errors = String(decoding: (try? Data(contentsOf: folder.appendingPathComponent("second.err"))) ?? Data(), as: UTF8.self)
        #expect(second.terminationStatus == 0, "\(errors)")
        let all = try Self.ourOrders(sandbox)
        #expect(all.count == Self.orders, "every order once: \(all.count)")
        #expect(Set(all).count == Self.orders, "no duplicate")
        // The resumed run's summary counts every order once, as created: those the stopped
        // process created (a kill leaves them past the last saved checkpoint) as well as its own.
        let resumed = try JSONValue.parse(Array(try Data(contentsOf: folder.appendingPathComponent("second.out"))))
        let counts = (resumed["counts"]?.objectValue.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key, $0.value.numberValue?.int ?? -1) }) } ?? [:])
            .filter { $0.value != 0 }
        #expect(counts == ["created": Self.orders], "\(resumed.serialized())")

        // A third run creates nothing.
        let third = try Self.startImport(batch, ledger: ledger, sandbox: sandbox, folder: folder, name: "third")
        try await OffPool.run { Self.wait(third) }
        #expect(third.terminationStatus == 0)
        #expect(try Self.ourOrders(sandbox).count == Self.orders)
        _ = sandbox.stop()
    }
}
