import Foundation
import Ledger
import LedgerPostgres
import TestSupport
import Testing

/// A ledger backend under the contract tests: SQLite files, or a PostgreSQL schema in the
/// test cluster. A `LedgerStore` is one empty place; `open(account:)` gives a ledger on it (a
/// second call: another instance on the same place, as a second process would have).
enum LedgerBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    /// The backends this run tests (PostgreSQL when a cluster is given or required).
    static var tested: [LedgerBackend] { TestPostgres.isEnabled ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    func makeStore() throws -> LedgerStore {
        switch self {
        case .sqlite:
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-ledger-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return LedgerStore(backend: self, place: url.path)
        case .postgres:
            return LedgerStore(backend: self, place: try TestPostgres.freshURL())
        }
    }
}

/// One empty ledger place of a backend.
struct LedgerStore: Sendable {
    let backend: LedgerBackend
    /// The folder (SQLite) or the URL with a fresh schema (PostgreSQL).
    let place: String

    /// A ledger of `account` on this place.
    func open(account: String = "default") async throws -> any Ledger {
        switch backend {
        case .sqlite:
            return try SQLiteLedger(path: place + "/\(account).sqlite")
        case .postgres:
            return try await PostgresLedger.open(location: PostgresLocation(url: place), account: account, password: nil)
        }
    }

    /// Ends the holder of `ledger`'s lock as a crash would: SQLite, a holder whose process is
    /// gone (`dead` is its record); PostgreSQL, the lock session closed without releasing.
    /// Returns once the server has noticed (its backend gone, the advisory lock dropped).
    func crash(_ ledger: any Ledger) async throws {
        guard let postgres = ledger as? PostgresLedger else { return }
        let schema = postgres.location.schema
        let backend = try await TestPostgres.query("SELECT backend_pid FROM \(schema).import_locks WHERE account = '\(postgres.account)'")
        await postgres.close()
        if !backend.isEmpty { try await TestPostgres.waitUntilBackendIsGone(backend) }
    }

    /// Runs `sql` on the rows of `account` as a hand edit would (SQLite: `sqlite3` on its file;
    /// PostgreSQL: `psql` in the place's schema). `{account}` in `sql` is `true` for SQLite and
    /// `account = 'NAME'` for PostgreSQL, so one statement serves both.
    func edit(_ sql: String, account: String = "default") async throws {
        switch backend {
        case .sqlite:
            let path = place + "/\(account).sqlite"
            let statement = sql.replacingOccurrences(of: "{account}", with: "1 = 1")
            _ = try await OffPool.run {
                let edit = Process()
                edit.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
                edit.arguments = [path, statement]
                try edit.run()
                edit.waitUntilExit()
                return edit.terminationStatus
            }
        case .postgres:
            let schema = try PostgresLocation(url: place).schema
            try await TestPostgres.query("SET search_path TO \(schema); " + sql.replacingOccurrences(of: "{account}", with: "account = '\(account)'"))
        }
    }

    /// Ends `ledger`'s hold on the import lock behind its back, as a dead process or a lost
    /// session would, while the instance itself goes on: SQLite, nothing to do (its holder is a
    /// process that is gone, `deadHolder`); PostgreSQL, the server ends the lock's session.
    func loseSession(of ledger: any Ledger) async throws {
        guard let postgres = ledger as? PostgresLedger else { return }
        let schema = postgres.location.schema
        let backend = try await TestPostgres.query("SELECT backend_pid FROM \(schema).import_locks WHERE account = '\(postgres.account)'")
        try await TestPostgres.query("SELECT pg_terminate_backend(\(backend))")
        try await TestPostgres.waitUntilBackendIsGone(backend)
    }

    /// A holder record for a process that is no longer running (for SQLite's takeover rule).
    static func deadHolder(host: String, startedAt: Date) throws -> LockHolder {
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        return LockHolder(pid: gone.processIdentifier, host: host, startedAt: startedAt)
    }

    /// Removes the place (after a passing test; a failing one leaves it to look at).
    func destroy() async throws {
        switch backend {
        case .sqlite:
            try? FileManager.default.removeItem(atPath: place)
        case .postgres:
            let location = try PostgresLocation(url: place)
            _ = try await OffPool.run { try TestPostgres.psql("DROP SCHEMA IF EXISTS \(location.schema) CASCADE") }
        }
    }
}
