import Batch
import Foundation
import Testing
import TestSupport

/// `--metrics-port`: the metrics are served while the import runs (Prometheus text format).
@Suite(.serialized) struct ObservabilityEndToEndTests {
    /// Issue 21, item 3: `--metrics-file` naming the ledger, its write-ahead log or a batch is
    /// refused before anything runs (it used to replace the ledger with Prometheus text).
    @Test func aMetricsFileThatIsAnInputIsRefused() async throws {
        let harness = try ImportHarness(orders: 3, seed: 43, name: "metrics-input")
        defer { harness.remove() }
        let sandbox = try await harness.sandbox()
        defer { _ = sandbox.stop() }
        let ledger = harness.path("l.sqlite")
        let first = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(first.run.status == 0, "\(first.run.errors)")
        let rows = try await ImportHarness.rows(ledger), batchBytes = try Data(contentsOf: URL(fileURLWithPath: harness.batch))
        for target in [ledger, ledger + "-wal", harness.batch, harness.folder.path + "/./batch.json"] {
            let run = try await OMSyncBinary.run(["import", harness.batch, "--ledger", ledger, "--metrics-file", target],
                                                 environment: ImportHarness.environment(sandbox))
            #expect(run.status == 2, "\(target): \(run.errors)")
            #expect(run.errors.contains("which this run reads"), "\(run.errors)")
        }
        #expect(try await ImportHarness.rows(ledger) == rows, "the ledger is still the ledger, its rows as they were")

        // Item 12: metrics asked for but impossible are said before the run, with exit 2, not dropped with exit 0.
        let port = try #require(sandbox.baseURL.split(separator: ":").last.map(String.init))
        let inUse = try await OMSyncBinary.run(["import", harness.batch, "--ledger", ledger, "--metrics-port", port],
                                               environment: ImportHarness.environment(sandbox))
        #expect(inUse.status == 2 && inUse.errors.contains("cannot serve the metrics on 127.0.0.1:\(port)"), "\(inUse.status) \(inUse.errors)")
        let nowhere = try await OMSyncBinary.run(["import", harness.batch, "--ledger", ledger, "--metrics-file", harness.path("missing/m.prom")],
                                                 environment: ImportHarness.environment(sandbox))
        #expect(nowhere.status == 2 && nowhere.errors.contains("cannot be written"), "\(nowhere.status) \(nowhere.errors)")
        #expect(!String(decoding: try Data(contentsOf: URL(fileURLWithPath: ledger)).prefix(64), as: UTF8.self).contains("# TYPE"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: harness.batch)) == batchBytes)
    }

    @Test func metricsAreServedWhileTheImportRuns() async throws {
        let harness = try ImportHarness(orders: 150, seed: 41, name: "metrics")
        defer { harness.remove() }
        // Slow calls while the test watches: 150 orders one at a time at 300 ms a call give the
        // scrape a window of some 45 s, however loaded the machine. Once it has scraped, the
        // latency goes to 0 and the rest of the run takes a moment.
        let sandbox = try await harness.sandbox(["--latency-ms", "300"])
        defer { _ = sandbox.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        process.arguments = ["import", harness.batch, "--ledger", harness.path("l.sqlite"),
                             "--concurrency", "1", "--metrics-port", "0", "--metrics-file", harness.path("metrics.prom"), "--format", "json"]
        process.environment = ProcessInfo.processInfo.environment.merging(ImportHarness.environment(sandbox)) { $1 }
        let errors = URL(fileURLWithPath: harness.path("err")), output = URL(fileURLWithPath: harness.path("out"))
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        func printed() -> String { String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self) }

        // Watched on a thread of its own: the test must not hold a thread of the cooperative pool.
        var address: String?
        try await OffPool.poll(everyMilliseconds: 50, for: 120) {
            address = printed().split(separator: "\n").first { $0.contains("metrics on http://") }
                .map { String($0.split(separator: " ").last ?? "") }
            return address != nil || !process.isRunning
        }
        let url = try #require(address, "the metrics address is printed: \(printed())")
        #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/metrics"))
        var scraped = "", failures: [String] = []
        try await OffPool.poll(everyMilliseconds: 100, for: 120) {
            do { scraped = String(decoding: try BlockingHTTP.get(url, timeout: 10), as: UTF8.self) } catch {
                failures.append("\(error)")
            }
            return !process.isRunning || scraped.contains(#"omsync_log_events_total{account="default",action="create",outcome="ok"}"#)
        }
        let stillRunning = process.isRunning
        try await sandbox.setLatency(milliseconds: 0)
        #expect(stillRunning, "scraped while the import ran (the last failures: \(failures.suffix(3)))")
        #expect(scraped.contains("# TYPE omsync_log_events_total counter"), "scraped while running: \(scraped)")
        // The calls so far (the reference lists, the first create), long before the first checkpoint.
        #expect(scraped.contains(#"omsync_api_calls_total{account="default",endpoint="POST /SalesOrders/{guid}"}"#), "the calls so far: \(scraped)")

        try await OffPool.run { process.waitUntilExit() }
        let summary = try JSONValue.parse(Array(try Data(contentsOf: output)))
        let created = try #require(summary["counts"]?["created"]?.numberValue?.int, "\(summary.serialized()) \(printed())")
        #expect(created > 120, "nearly every generated order is created: \(summary.serialized())")
        let rejected = summary["counts"]?["rejected"]?.numberValue?.int ?? 0
        #expect(process.terminationStatus == (rejected == 0 ? 0 : 1), "exit status by the outcome: \(summary.serialized())")
        // At the end the call counters hold every call the run sent, endpoint by endpoint.
        let written = try String(contentsOfFile: harness.path("metrics.prom"), encoding: .utf8)
        for (endpoint, count) in summary["calls"]?.objectValue ?? JSONObject() {
            let line = #"omsync_api_calls_total{account="default",endpoint=""# + endpoint + #""} "# + "\(count.numberValue?.int ?? -1)"
            #expect(written.contains(line), "\(line) in \(written)")
        }
        #expect(summary["calls"]?.objectValue?.keys.isEmpty == false, "the summary counts the calls")
    }
}
