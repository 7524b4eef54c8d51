import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// Re-runs and overlaps (docs/reliability.md): the same batch twice, an edited copy of it, an
/// edit arriving while the original is still being pushed (a second process on the same ledger
/// is refused, naming the holder), and ledger files that are not ledgers.
@Suite(.serialized) struct ReRunEndToEndTests {
    @Test func theSameBatchTwiceCreatesNothingTheSecondTime() async throws {
        let harness = try ImportHarness(orders: 60, seed: 31, name: "rerun-same")
        defer { harness.remove() }
        let sandbox = try await harness.sandbox()
        defer { _ = sandbox.stop() }
        let ledger = harness.path("ledger.sqlite")
        let first = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(first.run.status == 0 || first.run.status == 1, "\(first.run.errors)")
        let created = first.summary?["counts"]?["created"]?.numberValue?.int ?? 0
        #expect(created > 40, "\(first.run.output)")
        let ordersBefore = try ImportHarness.salesOrders(sandbox)
        let writesBefore = try ImportHarness.calls(sandbox).filter { !$0.key.hasPrefix("GET") }

        let second = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(second.run.status == first.run.status, "\(second.run.errors)")
        #expect(second.summary?["counts"]?["created"]?.numberValue?.int ?? 0 == 0, "\(second.run.output)")
        #expect((second.summary?["counts"]?["skipped"]?.numberValue?.int ?? 0) >= created, "\(second.run.output)")
        #expect(try ImportHarness.calls(sandbox).filter { !$0.key.hasPrefix("GET") } == writesBefore, "no write call the second time")
        let ordersAfter = try ImportHarness.salesOrders(sandbox)
        #expect(ordersAfter.count == ordersBefore.count)
        #expect(Set(ordersAfter.map { $0.serialized() }) == Set(ordersBefore.map { $0.serialized() }), "Unleashed is untouched")
    }

    @Test func anEditedCopyReplacesTheEditedOrdersAndSupersedesTheCancelledOnes() async throws {
        let harness = try ImportHarness(orders: 60, seed: 32, name: "rerun-edit")
        defer { harness.remove() }
        let sandbox = try await harness.sandbox()
        defer { _ = sandbox.stop() }
        let ledger = harness.path("ledger.sqlite")
        _ = try await harness.importUntilSettled(harness.batch, ledger: ledger, into: sandbox)
        let before = ImportHarness.live(try ImportHarness.salesOrders(sandbox))
        let edit = try harness.editedCopy(of: harness.batch, named: "edited.json", editEvery: 5, cancelEvery: 7)
        let log = try await harness.importUntilSettled(edit.path, ledger: ledger, into: sandbox)
        let after = ImportHarness.live(try ImportHarness.salesOrders(sandbox))
        try Self.expectEdited(before: before, after: after, edit: edit, log: log)

        // The edited copy again: nothing more happens.
        let again = try await harness.importOnce(edit.path, ledger: ledger, into: sandbox)
        #expect(again.summary?["counts"]?["created"]?.numberValue?.int ?? 0 == 0, "\(again.run.output)")
        #expect(again.summary?["counts"]?["replaced"]?.numberValue?.int ?? 0 == 0, "\(again.run.output)")
        #expect(ImportHarness.live(try ImportHarness.salesOrders(sandbox)).mapValues(\.count) == after.mapValues(\.count))
    }

    /// Each edited order is live exactly once with its new quantity, each cancelled one is not
    /// live, and every other order is exactly the one pushed first (same GUID, untouched).
    static func expectEdited(before: [String: [JSONValue]], after: [String: [JSONValue]],
                             edit: (path: String, edited: Set<String>, cancelled: Set<String>), log: [String]) throws {
        #expect(!edit.edited.isEmpty && !edit.cancelled.isEmpty)
        for (number, copies) in after { #expect(copies.count == 1, "\(number) is live \(copies.count) times; \(log)") }
        for (number, original) in before {
            let now = after[number]
            if edit.cancelled.contains(number) {
                #expect(now == nil, "\(number) was cancelled but is still live; \(log)")
            } else if edit.edited.contains(number) {
                #expect(now?.first?["Guid"]?.stringValue != original.first?["Guid"]?.stringValue, "\(number) was replaced")
                let wasFirst = original.first?["SalesOrderLines"]?[0]?["OrderQuantity"]?.decimalValue
                let isFirst = now?.first?["SalesOrderLines"]?[0]?["OrderQuantity"]?.decimalValue
                #expect(isFirst != nil && isFirst == wasFirst.flatMap { $0.adding(ExactDecimal(1)) }, "\(number): \(String(describing: wasFirst)) → \(String(describing: isFirst))")
            } else {
                #expect(now?.first?.serialized() == original.first?.serialized(), "\(number) was not edited and must be untouched")
            }
        }
    }

    @Test func anEditArrivingWhileTheOriginalIsPushedWaitsItsTurnAndNothingIsDuplicated() async throws {
        let harness = try ImportHarness(orders: 120, seed: 33, name: "rerun-overlap")
        defer { harness.remove() }
        // Slow calls while the edit arrives (120 orders two at a time at 250 ms: the original runs
        // on for some 14 s after the tenth order, however long the second process takes to
        // start on a loaded machine), none once the refusal is seen.
        let sandbox = try await harness.sandbox(["--latency-ms", "250"])
        defer { _ = sandbox.stop() }
        let ledger = harness.path("ledger.sqlite")
        let edit = try harness.editedCopy(of: harness.batch, named: "edited.json", editEvery: 4, cancelEvery: 9)

        // The original, pushed by a process that runs on while the edit arrives.
        let original = Process()
        original.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        original.arguments = ["import", harness.batch, "--ledger", ledger, "--concurrency", "2", "--format", "json"]
        original.currentDirectoryURL = Project.root
        original.environment = ProcessInfo.processInfo.environment.merging(ImportHarness.environment(sandbox)) { $1 }
        original.standardOutput = FileHandle.nullDevice
        original.standardError = FileHandle.nullDevice
        try original.run()
        try await OffPool.poll(everyMilliseconds: 10, for: 90) { try !original.isRunning || ImportHarness.salesOrders(sandbox).count >= 10 }
        #expect(original.isRunning, "the original import is still pushing when the edit arrives")

        // The edit, on the same ledger while the original holds it: refused, naming the holder.
        let refused = try await harness.importOnce(edit.path, ledger: ledger, into: sandbox)
        #expect(refused.run.status == 4, "\(refused.run.output) \(refused.run.errors)")
        #expect(refused.run.errors.contains("another import is running on this ledger"), "\(refused.run.errors)")
        #expect(refused.run.errors.contains("pid \(original.processIdentifier)"), "names the holder: \(refused.run.errors)")
        try await sandbox.setLatency(milliseconds: 0)
        try await OffPool.run { original.waitUntilExit() }
        #expect(original.terminationStatus == 0 || original.terminationStatus == 1)

        let before = ImportHarness.live(try ImportHarness.salesOrders(sandbox))
        _ = try await harness.importUntilSettled(harness.batch, ledger: ledger, into: sandbox)   // the original, settled
        let log = try await harness.importUntilSettled(edit.path, ledger: ledger, into: sandbox)
        let after = ImportHarness.live(try ImportHarness.salesOrders(sandbox))
        try Self.expectEdited(before: before, after: after, edit: edit, log: log)
        let rows = try await ImportHarness.rows(ledger)
        #expect(rows.filter { $0.state == .creating || $0.state == .superseding }.isEmpty, "nothing left in doubt")
        let all = try ImportHarness.salesOrders(sandbox)
        #expect(Set(all.compactMap { $0["Guid"]?.stringValue }).count == all.count, "no GUID twice")
    }

    @Test(arguments: ["truncated", "not a database", "a folder"])
    func aLedgerThatIsNotALedgerIsAClearErrorAndIsLeftAsItIs(kind: String) async throws {
        let harness = try ImportHarness(orders: 5, seed: 34, name: "rerun-ledger")
        defer { harness.remove() }
        let sandbox = try await harness.sandbox()
        defer { _ = sandbox.stop() }
        let real = harness.path("real.sqlite")
        _ = try await harness.importOnce(harness.batch, ledger: real, into: sandbox)
        let ledger = harness.path("ledger.sqlite")
        let whole = try Data(contentsOf: URL(fileURLWithPath: real))
        switch kind {
        case "truncated": try whole.prefix(whole.count / 2 + 100).write(to: URL(fileURLWithPath: ledger))
        case "not a database": try Data("order,guid\nOM1,abc\n".utf8).write(to: URL(fileURLWithPath: ledger))
        default: try FileManager.default.createDirectory(atPath: ledger, withIntermediateDirectories: true)
        }
        let bytes = try? Data(contentsOf: URL(fileURLWithPath: ledger))
        let calls = try ImportHarness.calls(sandbox).values.reduce(0, +)
        let run = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(run.run.status == 4, "\(run.run.output) \(run.run.errors)")
        #expect(run.run.errors.contains(ledger), "names the file: \(run.run.errors)")
        #expect(run.run.errors.contains("use a different --ledger"), "says what to do: \(run.run.errors)")
        #expect(try ImportHarness.calls(sandbox).values.reduce(0, +) == calls, "no call to Unleashed")
        #expect((try? Data(contentsOf: URL(fileURLWithPath: ledger))) == bytes, "the file is left as it was")
        if kind == "a folder" { #expect(try FileManager.default.contentsOfDirectory(atPath: ledger).isEmpty, "nothing written into it") }
    }
}
