import Foundation
import Testing
import TestSupport

/// `--metrics-port`: the metrics are served while the import runs (Prometheus text format).
@Suite(.serialized) struct ObservabilityEndToEndTests {
    @Test func metricsAreServedWhileTheImportRuns() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Slow calls, so that the run lasts long enough to be scraped.
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--latency-ms", "400"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        process.arguments = ["import", Project.path("samples/orders-envelope.json"), "--ledger", folder.appendingPathComponent("l.sqlite").path,
                             "--concurrency", "1", "--metrics-port", "0", "--format", "json"]
        var environment = ProcessInfo.processInfo.environment
        environment.merge(PostgresLedgerEndToEndTests.credentials(sandbox)) { $1 }
        process.environment = environment
        let errors = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Watched on a thread of its own: the test must not hold a thread of the cooperative pool.
        var address: String?
        try await OffPool.poll(everyMilliseconds: 50, for: 30) {
            let text = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
            address = text.split(separator: "\n").first { $0.contains("metrics on http://") }
                .map { String($0.split(separator: " ").last ?? "") }
            return address != nil || !process.isRunning
        }
        let url = try #require(address, "the metrics address is printed")
        #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/metrics"))
        var scraped = ""
        try await OffPool.poll(everyMilliseconds: 200, for: 30) {
            scraped = String(decoding: (try? BlockingHTTP.get(url, timeout: 5)) ?? Data(), as: UTF8.self)
            return !process.isRunning || scraped.contains("omsync_log_events_total")
        }
        #expect(scraped.contains("# TYPE omsync_log_events_total counter"), "scraped while running: \(scraped)")
        try await OffPool.run { process.waitUntilExit() }
        #expect(process.terminationStatus == 1, "3 created, 2 rejected")
        _ = sandbox.stop()
    }
}
