import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// Unleashed itself going away (docs/reliability.md): the sandbox, keeping its `--state`, is
/// killed with SIGKILL twice while an import runs and restarted on the same port; and the
/// sandbox's monthly quota runs out mid-import. Either way the end state is a clean run's:
/// every valid order exactly once, nothing left in doubt, the ledger agreeing with Unleashed.
@Suite(.serialized) struct SandboxCrashEndToEndTests {
    static let orders = Int(ProcessInfo.processInfo.environment["OMSYNC_SANDBOX_CRASH_ORDERS"] ?? "") ?? 150

    /// The end state against a clean run's: the same customer references, each exactly once,
    /// the same totals, and every pushed ledger row naming the GUID Unleashed holds.
    static func expectLikeClean(_ orders: [JSONValue], rows: [OrderRecord], clean: [JSONValue], log: [String]) {
        let expected = Dictionary(grouping: clean) { $0["CustomerRef"]?.stringValue ?? "" }
        let actual = Dictionary(grouping: orders) { $0["CustomerRef"]?.stringValue ?? "" }
        #expect(Set(actual.keys) == Set(expected.keys),
                "missing \(Set(expected.keys).subtracting(actual.keys).sorted()), extra \(Set(actual.keys).subtracting(expected.keys).sorted()); \(log)")
        for (number, copies) in actual {
            #expect(copies.count == 1, "\(number) exists \(copies.count) times; \(log)")
            #expect(copies.first?["Total"]?.decimalValue == expected[number]?.first?["Total"]?.decimalValue, "\(number): Total")
        }
        #expect(Set(orders.compactMap { $0["Guid"]?.stringValue }).count == orders.count, "no GUID twice")
        #expect(rows.filter { $0.state == .creating || $0.state == .superseding }.isEmpty, "nothing left in doubt")
        let pushed = rows.filter { $0.state == .pushed }
        #expect(pushed.count == orders.count, "\(pushed.count) pushed rows for \(orders.count) sales orders")
        for row in pushed {
            #expect(actual[row.sourceNumber ?? ""]?.first?["Guid"]?.stringValue == row.guid, "\(row.sourceNumber ?? "?"): the ledger's GUID")
        }
    }

    @Test func theSandboxKilledTwiceMidImportAndRestartedOnItsStateLosesNothing() async throws {
        let harness = try ImportHarness(orders: Self.orders, seed: 41, name: "sandbox-crash")
        defer { harness.remove() }
        let clean = try await harness.sandbox()
        _ = try await harness.importUntilSettled(harness.batch, ledger: harness.path("clean.sqlite"), into: clean)
        let cleanOrders = try ImportHarness.salesOrders(clean)
        _ = clean.stop()

        // A loaded machine can run the whole import before the watch looks (seen at load 10+):
        // such an attempt kills nothing mid-import and proves nothing, so it is made again
        // (up to three times, each from a fresh sandbox and ledger); one attempt must kill twice mid-import.
        var attempts: [String] = []
        for attempt in 1...3 {
            let outcome = try await Self.killTwice(harness, attempt: attempt)
            attempts.append("attempt \(attempt): \(outcome.killedMidImport) kills mid-import; \(outcome.log)")
            guard outcome.killedMidImport == 2 else { continue }
            Self.expectLikeClean(outcome.orders, rows: outcome.rows, clean: cleanOrders, log: outcome.log)
            if ProcessInfo.processInfo.environment["OMSYNC_SANDBOX_CRASH_ORDERS"] != nil { print("sandbox crash: " + attempts.joined(separator: "\n")) }
            return
        }
        Issue.record("no attempt killed the sandbox twice while the import ran: \(attempts)")
    }

    /// What one attempt left: kills that landed mid-import, the sales orders, the ledger rows, a log.
    struct KillOutcome {
        var killedMidImport: Int
        var orders: [JSONValue]
        var rows: [OrderRecord]
        var log: [String]
    }

    /// Imports into a sandbox on a state file, kills the sandbox twice (a quarter and half of the
    /// orders in) and restarts it on the same port and state each time, then settles the import.
    static func killTwice(_ harness: ImportHarness, attempt: Int) async throws -> KillOutcome {
        let state = harness.path("state-\(attempt).json")
        var sandbox = try await harness.sandbox(["--state", state, "--latency-ms", "100"])
        let port = String(sandbox.baseURL.split(separator: ":").last ?? "")
        let ledger = harness.path("ledger-\(attempt).sqlite")
        let importer = Process()
        importer.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        importer.arguments = ["import", harness.batch, "--ledger", ledger, "--concurrency", "2", "--format", "json"]
        importer.currentDirectoryURL = Project.root
        importer.environment = ProcessInfo.processInfo.environment.merging(ImportHarness.environment(sandbox)) { $1 }
        importer.standardOutput = FileHandle.nullDevice
        importer.standardError = FileHandle.nullDevice
        try importer.run()
        var log: [String] = []
        var killedMidImport = 0
        for round in 1...2 {
            let target = round * Self.orders / 4
            let watched = sandbox
            try await OffPool.poll(everyMilliseconds: 5, for: 90) { try !importer.isRunning || CrashResumeEndToEndTests.creates(watched) >= target }
            let held = try CrashResumeEndToEndTests.count(sandbox)
            if importer.isRunning { killedMidImport += 1 }
            kill(sandbox.process.processIdentifier, SIGKILL)
            let killed = sandbox.process
            try await OffPool.run { killed.waitUntilExit() }
            sandbox = try await Self.restart(harness, ["--state", state, "--latency-ms", "100", "--port", port])
            let kept = try CrashResumeEndToEndTests.count(sandbox)
            // `held` counts orders still waiting for their write to be durable (not yet answered);
            // an acknowledged order lost by the restart shows at the end, as a pushed row whose
            // GUID the sandbox does not hold.
            log.append("kill \(round): \(held) orders in the sandbox's memory before, \(kept) after the restart")
        }
        let deadline = Date().addingTimeInterval(180)
        while importer.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if importer.isRunning { kill(importer.processIdentifier, SIGKILL) }
        importer.waitUntilExit()
        log.append("the import that lived through the kills: exit \(importer.terminationStatus)")
        log += try await harness.importUntilSettled(harness.batch, ledger: ledger, into: sandbox)
        let orders = try ImportHarness.salesOrders(sandbox)
        _ = sandbox.stop()
        return KillOutcome(killedMidImport: killedMidImport, orders: orders, rows: try await ImportHarness.rows(ledger), log: log)
    }

    /// The sandbox started again on the port it had (the import's URL names it), tried for up to
    /// 30 s: until the killed process's socket is gone, and in case another test's process was
    /// given the port in the meantime.
    static func restart(_ harness: ImportHarness, _ arguments: [String]) async throws -> SandboxEndToEndTests.RunningSandbox {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                return try await harness.sandbox(arguments)
            } catch {
                if Date() >= deadline { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    @Test func theQuotaRunningOutMidImportStopsCleanlyAndTheNextRunResumes() async throws {
        let harness = try ImportHarness(orders: 80, seed: 42, name: "sandbox-quota")
        defer { harness.remove() }
        let clean = try await harness.sandbox()
        _ = try await harness.importUntilSettled(harness.batch, ledger: harness.path("clean.sqlite"), into: clean)
        let cleanOrders = try ImportHarness.salesOrders(clean)
        _ = clean.stop()

        // Enough calls for the reference reads and part of the orders.
        let sandbox = try await harness.sandbox(["--quota", "60"])
        defer { _ = sandbox.stop() }
        let ledger = harness.path("ledger.sqlite")
        let first = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(first.run.status == 4, "the run stops as a failed run: \(first.run.output) \(first.run.errors)")
        let said = first.run.output + first.run.errors
        #expect(said.contains("quota"), "says why: \(said)")
        #expect(said.contains("resets at"), "says when the quota resets: \(said)")

        // The month turns (the quota lifted through the admin API): the next run resumes.
        _ = try BlockingHTTP.put(sandbox.baseURL + "/_sandbox/faults", json: #"{"quota":null}"#)
        let partWay = try ImportHarness.salesOrders(sandbox).count
        #expect(partWay > 0 && partWay < cleanOrders.count, "stopped part-way: \(partWay) of \(cleanOrders.count)")
        let rows = try await ImportHarness.rows(ledger)
        #expect(rows.filter { $0.state == .pushed }.count == partWay, "the ledger knows exactly what landed")
        let log = try await harness.importUntilSettled(harness.batch, ledger: ledger, into: sandbox)
        Self.expectLikeClean(try ImportHarness.salesOrders(sandbox), rows: try await ImportHarness.rows(ledger), clean: cleanOrders, log: log)
    }
}
