import Foundation
import Testing
import TestSupport

/// A ledger written by a newer omsync (or edited by hand) holds values this binary does not know
/// (an order state, a mapping origin, a run state, a log outcome): every command that reads the
/// ledger says so, naming the value, and exits 4; none reads one as another value.
@Suite(.serialized) struct NewerLedgerEndToEndTests {
    @Test func anUnknownStoredStateIsAClearErrorFromEveryCommandThatReadsTheLedger() async throws {
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start([])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newer-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = folder.appendingPathComponent("ledger.sqlite").path
        let sample = Project.path("samples/orders-envelope.json")
        let environment = PostgresLedgerEndToEndTests.credentials(sandbox)
        let imported = try await OMSyncBinary.run(["import", sample, "--ledger", ledger], environment: environment)
        #expect(imported.status == 1, "\(imported.errors)")
        // What a newer omsync might write: values this one has never heard of, one in each table
        // a command reads (orders, customer mappings, runs, the log).
        _ = try await PythonScript.run(["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            changed = [
                db.execute("UPDATE orders SET state = 'frozen' WHERE rowid = (SELECT min(rowid) FROM orders WHERE guid IS NOT NULL)").rowcount,
                db.execute("UPDATE customer_mappings SET origin = 'guessed' WHERE rowid = (SELECT min(rowid) FROM customer_mappings)").rowcount,
                db.execute("UPDATE import_runs SET state = 'paused'").rowcount,
                db.execute("UPDATE integration_log SET outcome = 'maybe' WHERE id = (SELECT min(id) FROM integration_log)").rowcount,
            ]
            assert all(n >= 1 for n in changed), changed
            db.commit()
            """, ledger])
        let commands: [[String]] = [
            ["logs"], ["customers", "list"], ["retry"], ["ledger", "export"], ["accounts"],
            ["preview", sample], ["import", sample, "--dry-run"], ["import", sample],
        ]
        for command in commands {
            let run = try await OMSyncBinary.run(command + ["--ledger", ledger], environment: environment)
            #expect(run.status == 4, "\(command): exit \(run.status): \(run.errors.prefix(300))")
            let named = ["'frozen'", "'guessed'", "'paused'", "'maybe'"].filter(run.errors.contains)
            #expect(!named.isEmpty && run.errors.contains("newer omsync"), "\(command): \(run.errors.prefix(300))")
        }
        _ = sandbox.stop()
    }
}
