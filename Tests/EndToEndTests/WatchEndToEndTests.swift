import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// `omsync watch DIR` against the sandbox (docs/intake.md): the files waiting imported as one run
/// and filed in done/ or failed/, names that never collide, a killed or stopped watcher resumed
/// by the next start with nothing created twice, one watcher per account, the heartbeat.
@Suite(.serialized) struct WatchEndToEndTests {
    /// A harness with `orders` generated orders, split into `parts` JSON-array files.
    static func parts(_ harness: ImportHarness, _ parts: Int) throws -> [String] {
        let document = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: harness.batch))))
        let orders = document["data"]?.arrayValue ?? []
        let size = (orders.count + parts - 1) / parts
        return stride(from: 0, to: orders.count, by: size).map { JSONValue.array(Array(orders[$0..<min($0 + size, orders.count)])).serialized() }
    }

    /// A JSON array's items as JSON Lines.
    static func lines(_ array: String) throws -> String {
        (try JSONValue.parse(Array(array.utf8)).arrayValue ?? []).map { $0.serialized() + "\n" }.joined()
    }

    /// Writes `text` as `name` in `inbox`, modified `age` seconds ago (oldest first is by that).
    static func drop(_ text: String, as name: String, in inbox: String, age: TimeInterval) throws {
        let path = inbox + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: path)
    }

    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// A watcher left running (stdout and stderr to files in `harness`'s folder).
    static func start(_ arguments: [String], _ harness: ImportHarness, _ sandbox: SandboxEndToEndTests.RunningSandbox,
                      log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        process.arguments = arguments
        process.currentDirectoryURL = Project.root
        process.environment = ProcessInfo.processInfo.environment.merging(ImportHarness.environment(sandbox)) { $1 }
        FileManager.default.createFile(atPath: harness.path(log + ".out"), contents: nil)
        FileManager.default.createFile(atPath: harness.path(log + ".err"), contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: harness.path(log + ".out")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: harness.path(log + ".err")))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Every order of the batch exists once in the sandbox, as the ledger says, nothing in doubt.
    static func expectEachOrderOnce(_ sandbox: SandboxEndToEndTests.RunningSandbox, ledger: String, _ context: String) async throws {
        let orders = try ImportHarness.salesOrders(sandbox)
        let live = ImportHarness.live(orders)
        let rows = try await ImportHarness.rows(ledger)
        let pushed = rows.filter { $0.state == .pushed }
        #expect(!pushed.isEmpty, "\(context)")
        #expect(Set(live.keys) == Set(pushed.compactMap(\.sourceNumber)), "\(context)")
        for (number, copies) in live { #expect(copies.count == 1, "\(number) exists \(copies.count) times; \(context)") }
        #expect(orders.count == live.count, "a sales order was superseded or made twice; \(context)")
        #expect(rows.filter { $0.state == .creating || $0.state == .superseding }.isEmpty, "\(context)")
    }

    @Test func onceImportsTheWaitingFilesAsOneRunAndFilesThem() async throws {
        let harness = try ImportHarness(orders: 8, seed: 2020, name: "watch-once")
        defer { harness.remove() }
        let inbox = harness.path("inbox"), ledger = harness.path("ledger.sqlite")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let parts = try Self.parts(harness, 2)
        try Self.drop(parts[1], as: "a.json", in: inbox, age: 10)        // newer, though first by name
        try Self.drop(try Self.lines(parts[0]), as: "b.ndjson", in: inbox, age: 20)  // older: runs first
        try Self.drop(parts[0], as: "c.json.partial", in: inbox, age: 30) // still being written: left alone
        try Self.drop("", as: "empty.json", in: inbox, age: 5)           // cannot be read at all
        let sandbox = try await harness.sandbox()
        defer { _ = sandbox.stop() }
        let environment = ImportHarness.environment(sandbox)

        let first = try await OMSyncBinary.run(["watch", inbox, "--once", "--settle", "0", "--ledger", ledger, "--format", "json"],
                                               environment: environment)
        // The unreadable file makes the cycle's worst exit 2 (as `import` of it would); the others imported.
        #expect(first.status == 2, "\(first.errors)")
        #expect(first.errors.contains("empty.json"))
        let summary = try JSONValue.parse(first.output)
        #expect(summary["total"]?.numberValue?.int == 8, "\(first.output)")
        #expect(Self.names(inbox) == ["c.json.partial", "done", "failed"])
        #expect(Self.names(inbox + "/done") == ["a.json", "a.json.summary.json", "b.ndjson", "b.ndjson.summary.json"])
        #expect(Self.names(inbox + "/failed") == ["empty.json", "empty.json.error.txt"])
        #expect(Self.text(inbox + "/failed/empty.json.error.txt").contains("empty"))
        let filed = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: inbox + "/done/a.json.summary.json"))))
        #expect(filed["total"]?.numberValue?.int == 8 && filed["run"] == summary["run"])
        // One run, the older file first.
        let runs = try await SQLiteLedger(path: ledger).runs(limit: 10)
        #expect(runs.count == 1)
        #expect(runs.first?.batchPaths == [inbox + "/b.ndjson", inbox + "/a.json"])
        try await Self.expectEachOrderOnce(sandbox, ledger: ledger, "first cycle")
        let created = try ImportHarness.salesOrders(sandbox).count

        // The same file again: a second a.json, filed beside the first; nothing created twice.
        try Self.drop(parts[1], as: "a.json", in: inbox, age: 1)
        let second = try await OMSyncBinary.run(["watch", inbox, "--once", "--settle", "0", "--ledger", ledger, "--format", "json"],
                                                environment: environment)
        #expect(second.status == 0 || second.status == 1, "\(second.errors)")
        #expect(Self.names(inbox + "/done").contains("a-2.json") && Self.names(inbox + "/done").contains("a-2.json.summary.json"))
        #expect(try ImportHarness.salesOrders(sandbox).count == created)
        #expect(!FileManager.default.fileExists(atPath: inbox + "/.omsync-cycle.json"))

        // Nothing waiting: an idle cycle, exit 0; the heartbeat in `omsync accounts`.
        let idle = try await OMSyncBinary.run(["watch", inbox, "--once", "--settle", "0", "--ledger", ledger], environment: environment)
        #expect(idle.status == 0, "\(idle.errors)")
        let accounts = try await OMSyncBinary.run(["accounts", "--ledger", ledger, "--format", "json"])
        let row = try JSONValue.parse(accounts.output).arrayValue?.first
        #expect(row?["watching"]?.stringValue?.hasPrefix("watching \(inbox), last cycle ") == true, "\(accounts.output) \(accounts.errors)")
        #expect(row?["lastCycleOutcome"]?.stringValue == "idle", "\(accounts.output)")
        #expect(row?["watchDirectory"]?.stringValue == inbox)
        let table = try await OMSyncBinary.run(["accounts", "--ledger", ledger])
        #expect(table.output.contains("watching \(inbox), last cycle"), "\(table.output)")
    }

    @Test func aKilledWatcherIsResumedWithTheSameFilesAndNothingTwice() async throws {
        let harness = try ImportHarness(orders: 30, seed: 2021, name: "watch-kill")
        defer { harness.remove() }
        let inbox = harness.path("inbox"), ledger = harness.path("ledger.sqlite")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let parts = try Self.parts(harness, 2)
        try Self.drop(parts[0], as: "a.json", in: inbox, age: 20)
        try Self.drop(parts[1], as: "b.json", in: inbox, age: 10)
        // A slow sandbox (200 ms a call, one order at a time), so the kill lands mid-run.
        let sandbox = try await harness.sandbox(["--latency-ms", "200"])
        defer { _ = sandbox.stop() }
        let watcher = try Self.start(["watch", inbox, "--settle", "0", "--interval", "0.5", "--ledger", ledger, "--concurrency", "1"],
                                     harness, sandbox, log: "watcher")
        try await OffPool.poll(everyMilliseconds: 5, for: 120) { try !watcher.isRunning || CrashResumeEndToEndTests.creates(sandbox) >= 4 }
        let wasRunning = watcher.isRunning
        kill(watcher.processIdentifier, SIGKILL)
        watcher.waitUntilExit()
        #expect(wasRunning, "the watcher ended before the kill: \(Self.text(harness.path("watcher.err")))")
        #expect(FileManager.default.fileExists(atPath: inbox + "/.omsync-cycle.json"), "the cycle's journal stays")
        #expect(Self.names(inbox).contains("a.json") && Self.names(inbox).contains("b.json"))
        // A file arriving after the kill waits for the next cycle: the journaled one runs first, alone.
        try Self.drop(parts[0], as: "c.json", in: inbox, age: 60)

        let next = try await OMSyncBinary.run(["watch", inbox, "--once", "--settle", "0", "--ledger", ledger, "--format", "json"],
                                              environment: ImportHarness.environment(sandbox))
        #expect(next.status == 0 || next.status == 1, "\(next.errors)")
        let summary = try JSONValue.parse(next.output)
        #expect(summary["resumedFrom"] != nil && summary["resumedFrom"] != .null, "the killed run was resumed: \(next.output)")
        #expect(summary["total"]?.numberValue?.int == 30)
        #expect(Self.names(inbox) == ["c.json", "done", "failed"])
        #expect(Self.names(inbox + "/done") == ["a.json", "a.json.summary.json", "b.json", "b.json.summary.json"])
        #expect(try await SQLiteLedger(path: ledger).runs(limit: 10).count == 1, "one run, resumed")
        try await Self.expectEachOrderOnce(sandbox, ledger: ledger, Self.text(harness.path("watcher.err")))
    }

    @Test func sigtermStopsCleanlyAndResumablyAndOneWatcherPerAccount() async throws {
        let harness = try ImportHarness(orders: 20, seed: 2022, name: "watch-term")
        defer { harness.remove() }
        let inbox = harness.path("inbox"), other = harness.path("other"), ledger = harness.path("ledger.sqlite")
        for folder in [inbox, other] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Self.drop(try Self.parts(harness, 1)[0], as: "a.json", in: inbox, age: 10)
        let sandbox = try await harness.sandbox(["--latency-ms", "200"])
        defer { _ = sandbox.stop() }
        let environment = ImportHarness.environment(sandbox)
        let watcher = try Self.start(["watch", inbox, "--settle", "0", "--ledger", ledger, "--concurrency", "1"], harness, sandbox, log: "watcher")
        try await OffPool.poll(everyMilliseconds: 5, for: 120) { try !watcher.isRunning || CrashResumeEndToEndTests.creates(sandbox) >= 2 }
        #expect(watcher.isRunning, "\(Self.text(harness.path("watcher.err")))")

        // A second watcher, or an import, on the same account: refused as busy, naming the holder.
        let second = try await OMSyncBinary.run(["watch", other, "--once", "--settle", "0", "--ledger", ledger], environment: environment)
        #expect(second.status == 4, "\(second.errors)")
        #expect(second.errors.contains("another import is running") && second.errors.contains("pid \(watcher.processIdentifier)"), "\(second.errors)")
        let importing = try await OMSyncBinary.run(["import", harness.batch, "--ledger", ledger], environment: environment)
        #expect(importing.status == 4, "\(importing.errors)")

        kill(watcher.processIdentifier, SIGTERM)
        watcher.waitUntilExit()
        #expect(watcher.terminationReason == .exit && watcher.terminationStatus == 130, "\(Self.text(harness.path("watcher.err")))")
        #expect(Self.text(harness.path("watcher.err")).contains("stopping after the calls in flight"))
        #expect(Self.names(inbox).contains("a.json"), "an interrupted cycle's file stays")
        #expect(FileManager.default.fileExists(atPath: inbox + "/.omsync-cycle.json"))
        let stoppedRun = try await SQLiteLedger(path: ledger).runs(limit: 1).first
        #expect(stoppedRun?.state == .interrupted)
        #expect(try await SQLiteLedger(path: ledger).importLockHolder() == nil, "the lock is released")

        let next = try await OMSyncBinary.run(["watch", inbox, "--once", "--settle", "0", "--ledger", ledger, "--format", "json"],
                                              environment: environment)
        #expect(next.status == 0 || next.status == 1, "\(next.errors)")
        #expect(Self.names(inbox + "/done") == ["a.json", "a.json.summary.json"])
        #expect(try await SQLiteLedger(path: ledger).runs(limit: 10).count == 1, "one run, resumed")
        try await Self.expectEachOrderOnce(sandbox, ledger: ledger, Self.text(harness.path("watcher.err")))

        // An idle watcher holds the lock too (for its whole life, not only during runs), beats,
        // and stops on SIGTERM with 130.
        let idle = try Self.start(["watch", other, "--settle", "0", "--interval", "0.3", "--ledger", ledger,
                                   "--metrics-file", harness.path("watch.prom")], harness, sandbox, log: "idle")
        try await OffPool.poll(everyMilliseconds: 20, for: 60) {
            !idle.isRunning || FileManager.default.fileExists(atPath: other + "/done")
        }
        try await Task.sleep(for: .seconds(1))
        #expect(try await SQLiteLedger(path: ledger).importLockHolder()?.pid == idle.processIdentifier, "\(Self.text(harness.path("idle.err")))")
        #expect(try await SQLiteLedger(path: ledger).watchStatuses().first?.directory == other)
        let busy = try await OMSyncBinary.run(["import", harness.batch, "--ledger", ledger], environment: environment)
        #expect(busy.status == 4 && busy.errors.contains("pid \(idle.processIdentifier)"), "\(busy.errors)")
        kill(idle.processIdentifier, SIGTERM)
        idle.waitUntilExit()
        #expect(idle.terminationReason == .exit && idle.terminationStatus == 130, "\(Self.text(harness.path("idle.err")))")
        #expect(try await SQLiteLedger(path: ledger).importLockHolder() == nil)
        // The heartbeat in the metrics (the registry --metrics-port serves; written to the file at the end).
        let metrics = Self.text(harness.path("watch.prom"))
        #expect(metrics.contains("omsync_watch_cycles_total{account=\"default\",outcome=\"idle\"}"), "\(metrics)")
        #expect(metrics.contains("omsync_watch_last_cycle_timestamp_seconds{account=\"default\"}"), "\(metrics)")
    }
}
