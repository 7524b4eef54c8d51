import Batch
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `omsync import` against a PostgreSQL ledger whose server goes silent mid-run (every server
/// process of the ledger's own database frozen with SIGSTOP, new connections refused): the
/// import gives up within its deadlines, exits 4 saying why, and once the server is back the
/// next run finishes the batch with every order exactly once.
@Suite(.serialized, .enabled(if: TestPostgres.isEnabled, "no PostgreSQL cluster: run scripts/test"))
struct PostgresSilenceEndToEndTests {
    @Test func anImportWhoseLedgerGoesSilentStopsAndTheNextRunFinishes() async throws {
        let harness = try ImportHarness(orders: 60, seed: 51, name: "pg-silence")
        defer { harness.remove() }
        let database = try await TestPostgres.Database.create()
        // 5 s: every ledger call before the freeze must finish within it, on a cluster the other
        // PostgreSQL tests load at the same time.
        let ledger = try database.url("timeout=5")
        // Slow calls until the server is frozen (a window of many seconds, however loaded the machine).
        let sandbox = try await harness.sandbox(["--latency-ms", "200"])
        defer { _ = sandbox.stop() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        process.arguments = ["import", harness.batch, "--ledger", ledger, "--concurrency", "1", "--format", "json"]
        process.environment = ProcessInfo.processInfo.environment.merging(ImportHarness.environment(sandbox)) { $1 }
        let output = URL(fileURLWithPath: harness.path("out")), errors = URL(fileURLWithPath: harness.path("err"))
        for file in [output, errors] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try await OffPool.poll(everyMilliseconds: 50, for: 120) {
            try ImportHarness.salesOrders(sandbox).count >= 3 || !process.isRunning
        }
        #expect(process.isRunning, "the import is still running when the server goes silent")

        let frozen = try await database.freeze()
        #expect(!frozen.isEmpty, "the import's connections")
        try await sandbox.setLatency(milliseconds: 0)
        // Each ledger call gives up after 10 s (twice ?timeout=5): the order in flight, then the run's own last writes.
        try await OffPool.poll(everyMilliseconds: 50, for: 120) { !process.isRunning }
        let stillRunning = process.isRunning
        try await database.thaw(frozen)
        #expect(!stillRunning, "the import gave up on its silent ledger")
        try await OffPool.run { process.waitUntilExit() }
        let said = String(decoding: try Data(contentsOf: output), as: UTF8.self) + String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        #expect(process.terminationStatus == 4, "exit 4: \(said)")
        #expect(said.contains("stopped on the ledger: postgres://") && said.contains("gave no answer within 10 s"), "says why: \(said)")
        #expect(!said.contains("Unleashed could not be reached"), "blames the ledger, not Unleashed: \(said)")
        let partial = try ImportHarness.salesOrders(sandbox).count

        // The server back, the next run finishes: every planned order exactly once.
        let preview = try JSONValue.parse(try await OMSyncBinary.run(["preview", "--format", "json", harness.batch]).output)
        let creates = try #require(preview["summary"]?["actions"]?["create"]?.numberValue?.int)
        let log = try await harness.importUntilSettled(harness.batch, ledger: ledger, into: sandbox)
        let orders = try ImportHarness.salesOrders(sandbox)
        #expect(partial < creates, "stopped part-way (\(partial) of \(creates))")
        #expect(orders.count == creates, "every planned order once: \(orders.count) of \(creates); \(log)")
        #expect(Set(orders.compactMap { $0["CustomerRef"]?.stringValue }).count == orders.count, "no order twice")
        try await database.drop()
    }
}
