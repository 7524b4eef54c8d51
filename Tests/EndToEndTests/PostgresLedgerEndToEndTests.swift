import Batch
import Foundation
import Ledger
import LedgerPostgres
import Testing
import TestSupport

/// The PostgreSQL ledger as a user runs it: `omsync import --ledger postgres://… --account`,
/// the lock across processes, `ledger export`/`import` between backends, and the password.
@Suite(.serialized, .enabled(if: TestPostgres.isEnabled, "no PostgreSQL cluster: run scripts/test"))
struct PostgresLedgerEndToEndTests {
    static let sample = Project.path("samples/orders-envelope.json")

    /// The sandbox's credentials as `import` reads them.
    static func credentials(_ sandbox: SandboxEndToEndTests.RunningSandbox) -> [String: String] {
        ["UNLEASHED_API_ID": LedgerCommandsEndToEndTests.value(sandbox, "api id:"),
         "UNLEASHED_API_KEY": LedgerCommandsEndToEndTests.value(sandbox, "api key:"),
         "UNLEASHED_API_URL": sandbox.baseURL]
    }

    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `accounts/acme/settings.yaml` (a setting of its own) and `account.yaml` (its quota) in `folder`.
    static func accountsFolder(in folder: URL) throws -> String {
        let accounts = folder.appendingPathComponent("accounts")
        try FileManager.default.createDirectory(at: accounts.appendingPathComponent("acme"), withIntermediateDirectories: true)
        try "sales_order_status: Placed\n".write(to: accounts.appendingPathComponent("acme/settings.yaml"), atomically: true, encoding: .utf8)
        try "quota: 5000   # calls a month\n".write(to: accounts.appendingPathComponent("acme/account.yaml"), atomically: true, encoding: .utf8)
        return accounts.path
    }

    @Test func importsPerAccountAndASecondRunIsRefusedNamingTheHolder() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let accounts = try Self.accountsFolder(in: folder)
        let url = try TestPostgres.freshURL()
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start([])
        // A named account takes its credentials from OMSYNC_ACME_*, never from UNLEASHED_*.
        let plainEnvironment = Self.credentials(sandbox)
        let plain = try await OMSyncBinary.run(["import", Self.sample, "--ledger", url, "--account", "acme", "--accounts", accounts],
                                                                environment: plainEnvironment)
        #expect(plain.status == 2 && plain.errors.contains("OMSYNC_ACME_API_ID"), "\(plain.errors)")
        let environment = Dictionary(uniqueKeysWithValues: Self.credentials(sandbox).map { ($0.key.replacingOccurrences(of: "UNLEASHED_", with: "OMSYNC_ACME_"), $0.value) })
        let importArguments = ["import", Self.sample, "--ledger", url, "--account", "acme", "--accounts", accounts]
        let first = try await OMSyncBinary.run(importArguments + ["--log-format", "json"], environment: environment)
        #expect(first.status == 1, "3 created, 2 rejected: \(first.errors)")
        // --log-format json: one JSON object a line, each order's outcome with its account.
        let events = first.errors.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        #expect(events.count == first.errors.split(separator: "\n").count, "every line is JSON: \(first.errors)")
        #expect(events.filter { $0["action"]?.stringValue == "create" && $0["outcome"]?.stringValue == "ok" }.count == 3)
        #expect(events.allSatisfy { $0["account"]?.stringValue == "acme" })
        #expect(first.output.range(of: #"created\s+3\n"#, options: .regularExpression) != nil, "\(first.output)")
        let again = try await OMSyncBinary.run(importArguments, environment: environment)
        #expect(again.output.range(of: #"skipped\s+5\n"#, options: .regularExpression) != nil && !again.output.contains("created"), "\(again.output)")
        // Another account on the same database has nothing yet: a read-only command says so (as
        // SQLite's "no ledger here yet") and does not register it.
        let other = try await OMSyncBinary.run(["logs", "--ledger", url, "--account", "other", "--format", "json"])
        #expect(other.status == 2 && other.errors.contains("no ledger for account 'other' here yet") && other.output.isEmpty,
                "\(other.output) \(other.errors)")
        let logs = try await OMSyncBinary.run(["logs", "--ledger", url, "--account", "acme", "--errors"])
        #expect(logs.status == 0 && logs.output.contains("rejected"), "\(logs.output) \(logs.errors)")

        // A run holding acme's lock (another machine): the import is refused, naming it.
        let location = try PostgresLocation(url: url)
        let holderLedger = try await PostgresLedger.open(location: location, account: "acme", password: nil)
        let holder = LockHolder(pid: 4242, host: "worker-z", startedAt: Date(timeIntervalSince1970: 1_764_669_600))
        _ = try await holderLedger.acquireImportLock(holder, staleAfter: 120)
        let refused = try await OMSyncBinary.run(importArguments, environment: environment)
        #expect(refused.status == 4)
        #expect(refused.errors.contains("another import is running") && refused.errors.contains("pid 4242 on worker-z, started 2025-12-02T10:00:00Z"),
                "\(refused.errors)")
        // Its session ends (a crash): the next run takes over and says so. (Once the server has
        // noticed: a closed session's backend may hold the lock a moment longer.)
        let backend = try await TestPostgres.query("SELECT backend_pid FROM \(location.schema).import_locks WHERE account = 'acme'")
        await holderLedger.close()
        if !backend.isEmpty { try await TestPostgres.waitUntilBackendIsGone(backend) }
        let metrics = folder.appendingPathComponent("acme.prom").path
        let after = try await OMSyncBinary.run(importArguments + ["--metrics-file", metrics], environment: environment)
        #expect(after.status == 0 || after.status == 1, "\(after.errors)")
        #expect((after.output + after.errors).contains("worker-z"), "the takeover is reported: \(after.output) \(after.errors)")
        // The metrics file: Prometheus text, per account.
        let prom = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(prom.contains("omsync_log_events_total{") && prom.contains("account=\"acme\""), "\(prom)")
        #expect(prom.contains("# TYPE omsync_last_run_finished gauge"), "\(prom)")
        // omsync accounts: the account, its last run, its calls this month against its quota.
        let listed = try await OMSyncBinary.run(["accounts", "--ledger", url, "--accounts", accounts, "--format", "json"])
        #expect(listed.status == 0, "\(listed.errors)")
        let rows = try JSONValue.parse(listed.output).arrayValue ?? []
        let acme = try #require(rows.first { $0["name"]?.stringValue == "acme" })
        #expect(acme["quota"]?.numberValue?.int == 5000 && (acme["callsThisMonth"]?.numberValue?.int ?? 0) > 0, "\(listed.output)")
        #expect(acme["lastRunState"]?.stringValue == "finished", "\(listed.output)")
        _ = sandbox.stop()
        _ = try await OffPool.run { try TestPostgres.psql("DROP SCHEMA \(location.schema) CASCADE") }
    }

    @Test func aLedgerMovesSQLiteToPostgresToSQLiteWithoutLosingARow() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TestPostgres.freshURL()
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start([])
        let sqlite = folder.appendingPathComponent("a.sqlite").path
        let imported = try await OMSyncBinary.run(["import", Self.sample, "--ledger", sqlite], environment: Self.credentials(sandbox))
        #expect(imported.status == 1, "\(imported.errors)")
        _ = try await OMSyncBinary.run(["customers", "set", "cust-manual", "MANUAL01", "--ledger", sqlite])
        _ = sandbox.stop()

        func export(_ arguments: [String], to name: String) async throws -> [String] {
            let file = folder.appendingPathComponent(name).path
            let run = try await OMSyncBinary.run(["ledger", "export", "--format", "ndjson", "--output", file] + arguments)
            #expect(run.status == 0, "\(run.errors)")
            return try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let a = try await export(["--ledger", sqlite], to: "a.ndjson")
        #expect(a.count > 20, "orders, mapping, reference data, runs, calls, log rows and payloads: \(a.count) lines")
        for table in ["orders", "customer_mappings", "reference_data", "import_runs", "api_calls", "integration_log", "pushed_payloads"] {
            #expect(a.contains { $0.contains("\"table\":\"\(table)\"") }, "the export has \(table) rows")
        }
        let toPostgres = try await OMSyncBinary.run(["ledger", "import", folder.appendingPathComponent("a.ndjson").path, "--ledger", url, "--account", "moved"])
        #expect(toPostgres.status == 0, "\(toPostgres.errors)")
        // Importing twice into the same account is refused, changing nothing.
        let twice = try await OMSyncBinary.run(["ledger", "import", folder.appendingPathComponent("a.ndjson").path, "--ledger", url, "--account", "moved"])
        #expect(twice.status == 4 && twice.errors.contains("already has"), "\(twice.errors)")
        let b = try await export(["--ledger", url, "--account", "moved"], to: "b.ndjson")
        let back = folder.appendingPathComponent("back.sqlite").path
        let toSQLite = try await OMSyncBinary.run(["ledger", "import", folder.appendingPathComponent("b.ndjson").path, "--ledger", back])
        #expect(toSQLite.status == 0, "\(toSQLite.errors)")
        // The file now belongs to the account it was moved for (its header's): read as that account.
        let c = try await export(["--ledger", back, "--account", "moved"], to: "c.ndjson")
        // A read-only command for an account the PostgreSQL ledger does not know registers nothing (issue 21, item 12).
        let typo = try await OMSyncBinary.run(["logs", "--ledger", url, "--account", "moevd"])
        #expect(typo.status == 2 && typo.errors.contains("no ledger for account 'moevd' here yet (accounts here: 'moved')"), "\(typo.errors)")
        let listedAfter = try await OMSyncBinary.run(["accounts", "--ledger", url, "--format", "json"])
        #expect(!listedAfter.output.contains("moevd"), "\(listedAfter.output)")
        let asDefault = try await OMSyncBinary.run(["ledger", "export", "--ledger", back])
        #expect(asDefault.status == 4 && asDefault.errors.contains("is the ledger of account 'moved', not 'default'"), "\(asDefault.errors)")
        // Every row identical (the header names the account: default, moved, moved).
        #expect(Array(a.dropFirst()) == Array(b.dropFirst()))
        #expect(Array(b.dropFirst()) == Array(c.dropFirst()))
        #expect(b.first?.contains("\"account\":\"moved\"") == true)

        // A cut-short export is refused and imports nothing.
        let cut = folder.appendingPathComponent("cut.ndjson")
        try Data((a.dropLast(2).joined(separator: "\n") + "\n").utf8).write(to: cut)
        let refused = try await OMSyncBinary.run(["ledger", "import", cut.path, "--ledger", folder.appendingPathComponent("cut.sqlite").path])
        #expect(refused.status == 2 && refused.errors.contains("cut short"), "\(refused.errors)")
        try await TestPostgres.query("DROP SCHEMA \(try PostgresLocation(url: url).schema) CASCADE")
    }

    /// Issue 21, item 12: `sslmode=require` against a loopback server without TLS says that is why
    /// (it said "a host that is not loopback").
    @Test func sslmodeRequireOnLoopbackWithoutTLSSaysWhy() async throws {
        let base = try TestPostgres.freshURL()
        let url = base + (base.contains("?") ? "&" : "?") + "sslmode=require"
        let run = try await OMSyncBinary.run(["logs", "--ledger", url])
        #expect(run.status == 4, "\(run.status) \(run.errors)")
        #expect(run.errors.contains("on a loopback host when it says sslmode=require"), "\(run.errors)")
    }

    @Test func aPasswordIsNeverTakenFromTheURLNorPrinted() async throws {
        let secret = "Hunter2-\(UUID().uuidString.prefix(8))"
        for arguments in [["import", Self.sample], ["logs"], ["ledger", "export"], ["customers", "list"]] {
            let run = try await OMSyncBinary.run(arguments + ["--ledger", "postgres://omsync:\(secret)@127.0.0.1:5432/omsync"])
            #expect(run.status == 2, "\(arguments): \(run.errors)")
            #expect(run.errors.contains("PGPASSWORD"), "\(arguments): \(run.errors)")
            #expect(!(run.output + run.errors).contains(secret), "\(arguments) printed the password")
        }
        // A password that the server does not need, from PGPASSWORD, is not printed either, even on failure.
        let unreachable = try await OMSyncBinary.run(["logs", "--ledger", "postgres://omsync@127.0.0.1:1/omsync"], environment: ["PGPASSWORD": secret])
        #expect(unreachable.status == 4 && unreachable.errors.contains("cannot connect"), "\(unreachable.errors)")
        #expect(!(unreachable.output + unreachable.errors).contains(secret))
    }
}
