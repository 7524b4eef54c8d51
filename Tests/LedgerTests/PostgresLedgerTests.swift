import Foundation
import Ledger
import LedgerPostgres
import TestSupport
import Testing

/// What only the PostgreSQL ledger does: URLs and secrets, migrations, the advisory lock's
/// session (the shared behaviour is in `LedgerContractTests`). Runs against the test cluster;
/// without one it fails when `OMSYNC_REQUIRE_POSTGRES=1` (CI) and is left out otherwise.
@Suite(.enabled(if: TestPostgres.isEnabled, "no PostgreSQL cluster: run scripts/test")) struct PostgresLedgerTests {
    @Test func urlsParseAndNeverCarryASecret() throws {
        let local = try PostgresLocation(url: "postgres://omsync@127.0.0.1:5433/ledger")
        #expect(local.user == "omsync" && local.host == "127.0.0.1" && local.port == 5433 && local.database == "ledger")
        #expect(local.schema == "omsync" && !local.requireTLS)
        #expect(local.description == "postgres://omsync@127.0.0.1:5433/ledger")
        let remote = try PostgresLocation(url: "postgresql://app@db.example.com/ledger?schema=tenant_a")
        #expect(remote.requireTLS && remote.port == 5432 && remote.schema == "tenant_a")
        #expect(try PostgresLocation(url: "postgres://app@localhost/l?sslmode=require").requireTLS)
        #expect(throws: LedgerError.self) { _ = try PostgresLocation(url: "postgres://app@db.example.com/l?sslmode=disable") }
        #expect(throws: LedgerError.self) { _ = try PostgresLocation(url: "postgres://app@db.example.com/l?schema=Bad-Name") }
        #expect(throws: LedgerError.self) { _ = try PostgresLocation(url: "postgres://db.example.com/l") }
        #expect(throws: LedgerError.self) { _ = try PostgresLocation(url: "postgres://app@db.example.com") }
        do {
            _ = try PostgresLocation(url: "postgres://app:S3cr3t-pw@db.example.com/ledger")
            Issue.record("a URL with a password was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains("password") && message.contains("PGPASSWORD"))
            #expect(!message.contains("S3cr3t-pw"))
        }
    }

    @Test func passwordComesFromTheEnvironmentOrAPrivateFile() throws {
        #expect(try PostgresLocation.password(environment: ["PGPASSWORD": "env-pw"], passwordFile: "/nonexistent") == "env-pw")
        #expect(try PostgresLocation.password(environment: [:], passwordFile: nil) == nil)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-pw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "file-pw\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        do {
            _ = try PostgresLocation.password(environment: [:], passwordFile: file)
            Issue.record("a password file readable by others was used")
        } catch {
            #expect("\(error)".contains("chmod 600") && !"\(error)".contains("file-pw"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(try PostgresLocation.password(environment: [:], passwordFile: file) == "file-pw")
    }

    @Test func migrationsAreNamedAndANewerOrForeignSchemaIsRefused() async throws {
        let url = try TestPostgres.freshURL()
        let location = try PostgresLocation(url: url)
        _ = try await PostgresLedger.open(location: location, account: "default", password: nil)
        #expect(try await TestPostgres.query("SELECT string_agg(name, ',' ORDER BY name) FROM \(location.schema).omsync_migrations") == "v1-initial,v2-pushed-payloads,v3-order-versions,v5-watch-status")
        // Opening again applies nothing twice.
        _ = try await PostgresLedger.open(location: location, account: "default", password: nil)
        #expect(try await TestPostgres.query("SELECT count(*) FROM \(location.schema).omsync_migrations") == "4")
        // A ledger made before v2 (as an older omsync left it, with an order in it) is brought up
        // to date on open, its rows kept.
        try await TestPostgres.query("""
            DROP TABLE \(location.schema).pushed_payloads; DELETE FROM \(location.schema).omsync_migrations WHERE name = 'v2-pushed-payloads';
            INSERT INTO \(location.schema).orders (account, source_id, state, created_at, updated_at) VALUES ('default', 'old-1', 'pushed', 1, 1)
            """)
        let upgraded = try await PostgresLedger.open(location: location, account: "default", password: nil)
        #expect(try await upgraded.order(sourceID: "old-1")?.state == .pushed)
        #expect(try await upgraded.payloads().isEmpty)
        try await upgraded.savePayload(PushedPayload(sourceID: "old-1", hash: "h", json: "{}", recordedAt: Date(timeIntervalSince1970: 2)))
        #expect(try await upgraded.payload(sourceID: "old-1", hash: "h")?.json == "{}")
        await upgraded.close()
        try await TestPostgres.query("INSERT INTO \(location.schema).omsync_migrations (name) VALUES ('v9-from-the-future')")
        await #expect(throws: LedgerError.newerSchema(path: "\(location)", unknownMigrations: ["v9-from-the-future"])) {
            _ = try await PostgresLedger.open(location: location, account: "default", password: nil)
        }
        try await TestPostgres.query("DROP SCHEMA \(location.schema) CASCADE")

        let foreign = try PostgresLocation(url: try TestPostgres.freshURL())
        try await TestPostgres.query("CREATE SCHEMA \(foreign.schema); CREATE TABLE \(foreign.schema).notes (t text); INSERT INTO \(foreign.schema).notes VALUES ('mine')")
        do {
            _ = try await PostgresLedger.open(location: foreign, account: "default", password: nil)
            Issue.record("a foreign schema was opened")
        } catch {
            #expect(error.description.contains("not an omsync ledger"))
        }
        #expect(try await TestPostgres.query("SELECT t FROM \(foreign.schema).notes") == "mine")
        try await TestPostgres.query("DROP SCHEMA \(foreign.schema) CASCADE")
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        let location = try PostgresLocation(url: "postgres://omsync@127.0.0.1:1/none")
        do {
            _ = try await PostgresLedger.open(location: location, account: "default", password: "never-shown")
            Issue.record("opened a ledger on a closed port")
        } catch {
            #expect(error.description.contains("postgres://omsync@127.0.0.1:1/none") && error.description.contains("cannot connect"))
            #expect(!error.description.contains("never-shown"))
        }
    }

    @Test func aRunWhoseConnectionDiesLosesTheLock() async throws {
        let location = try PostgresLocation(url: try TestPostgres.freshURL())
        let dying = try await PostgresLedger.open(location: location, account: "acme", password: nil)
        let next = try await PostgresLedger.open(location: location, account: "acme", password: nil)
        let first = LockHolder(pid: 111, host: "worker-1", startedAt: Date(timeIntervalSince1970: 1_764_669_600))
        _ = try await dying.acquireImportLock(first, staleAfter: 3600)
        let second = LockHolder(pid: 222, host: "worker-2", startedAt: Date())
        do {
            _ = try await next.acquireImportLock(second, staleAfter: 3600)
            Issue.record("a second run got the lock")
        } catch LedgerError.locked(let holder) {
            #expect(holder.pid == 111 && holder.host == "worker-1" && holder.startedAt == first.startedAt)
        }
        // The server ends the lock's session (as a network failure or a failover would).
        let backend = try await TestPostgres.query("SELECT backend_pid FROM \(location.schema).import_locks WHERE account = 'acme'")
        try await TestPostgres.query("SELECT pg_terminate_backend(\(backend))")
        try await TestPostgres.waitUntilBackendIsGone(backend)
        // The dying run can no longer write, nor keep its lock...
        await #expect(throws: LedgerError.self) { try await dying.commit([.saveOrder(LedgerContractTests.order("late"))]) }
        await #expect(throws: LedgerError.self) { try await dying.heartbeat(first) }
        #expect(try await next.order(sourceID: "late") == nil)
        // ...and the next run takes it over, naming the run it replaced.
        let taken = try await next.acquireImportLock(second, staleAfter: 3600)
        #expect(taken.takenOver?.host == "worker-1" && taken.takenOver?.pid == 111)
        #expect(try await next.importLockHolder()?.host == "worker-2")
        try await next.commit([.saveOrder(LedgerContractTests.order("after"))])
        // Its heartbeat has failed, and its workers may still be finishing their orders: none of
        // them may write state now that another run holds the lock (before, a lost session turned
        // the fence off). What only adds is kept: its log rows and the calls it spent.
        do {
            try await dying.commit([.saveOrder(LedgerContractTests.order("after", state: .rejected))])
            Issue.record("a run that lost its lock wrote an order's state")
        } catch LedgerError.lockLost(let holder) {
            #expect(holder?.host == "worker-2", "names the run that holds the lock now")
        }
        await #expect(throws: LedgerError.self) { try await dying.saveRun(ImportRun(id: 1, batchPaths: ["b.json"], batchHash: "h", state: .failed, pid: 111, host: "worker-1", startedAt: Date())) }
        try await dying.commit([
            .appendLog(LogEntry(time: Date(), runID: nil, sourceID: "late", orderNumber: "OM1", action: .create, outcome: .error)),
            .addCalls(month: "2026-12", counts: ["POST /SalesOrders/{guid}": 1]),
        ])
        #expect(try await next.calls(month: "2026-12")["POST /SalesOrders/{guid}"] == 1)
        #expect(try await next.order(sourceID: "after")?.state == .pushed, "the row of the run that holds the lock stands")
        try await next.releaseImportLock(second)
        try await TestPostgres.query("DROP SCHEMA \(location.schema) CASCADE")
    }
}
