import Foundation
import Ledger
import LedgerPostgres
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL ledger never hangs a run: a statement that waits on another session's lock is
/// cancelled by the server after `?timeout=` seconds, and a server that stops answering at all
/// is given up on after twice that; both are clear `LedgerError`s, and nothing half-written stays.
@Suite(.enabled(if: TestPostgres.isEnabled, "no PostgreSQL cluster: run scripts/test")) struct PostgresTimeoutTests {
    @Test func theTimeoutIsAURLParameter() throws {
        let location = try PostgresLocation(url: "postgres://omsync@127.0.0.1:5433/ledger?timeout=5")
        #expect(location.timeout == 5)
        #expect(location.description == "postgres://omsync@127.0.0.1:5433/ledger?timeout=5")
        #expect(try PostgresLocation(url: "postgres://omsync@127.0.0.1/l").timeout == PostgresLocation.defaultTimeout)
        for bad in ["0", "-3", "ten", "3601", ""] {
            do {
                _ = try PostgresLocation(url: "postgres://omsync@127.0.0.1/l?timeout=\(bad)")
                Issue.record("timeout=\(bad) was accepted")
            } catch {
                #expect("\(error)".contains("timeout '\(bad)' is not a whole number of seconds from 1 to 3600"), "\(error)")
            }
        }
    }

    /// Another session holds the orders table (a migration by hand, a long report): the ledger's
    /// reads and writes are cancelled by the server's lock timeout instead of waiting for it.
    @Test func aStatementWaitingOnAnotherSessionsLockIsCancelledByTheServer() async throws {
        let url = try TestPostgres.freshURL() + "&timeout=3"
        let location = try PostgresLocation(url: url)
        let ledger = try await PostgresLedger.open(location: location, account: "acme", password: nil)
        try await ledger.commit([.saveOrder(LedgerContractTests.order("before"))])
        let holder = try TestPostgres.startPsql("BEGIN; LOCK TABLE \(location.schema).orders IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);")
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let holding = """
            FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = '\(location.schema)' AND c.relname = 'orders' AND l.mode = 'AccessExclusiveLock' AND l.granted
            """
        try await OffPool.poll(everyMilliseconds: 50, for: 60) {
            try TestPostgres.psql("SELECT count(*) \(holding)") == "1" || !holder.isRunning
        }
        #expect(holder.isRunning, "the other session holds the table")

        for attempt in ["read", "write"] {
            do {
                if attempt == "read" {
                    _ = try await ledger.order(sourceID: "before")
                } else {
                    try await ledger.commit([.saveOrder(LedgerContractTests.order("during")),
                                             .appendLog(LogEntry(time: Date(), runID: nil, sourceID: "during", orderNumber: nil,
                                                                 action: .create, outcome: .ok))])
                }
                Issue.record("the \(attempt) went through while another session held the table")
            } catch let error as LedgerError {
                guard case .failed(let path, let reason) = error else { Issue.record("\(attempt): \(error)"); continue }
                #expect(path == "\(location)")
                // Both timeouts are `timeout` seconds: the statement's fires first, as it counts from the start.
                #expect(reason.contains("canceling statement due to statement timeout (SQLSTATE 57014)")
                        || reason.contains("canceling statement due to lock timeout (SQLSTATE 55P03)"), "\(attempt): \(reason)")
                #expect("\(error)".contains("run the command again"), "says what to do: \(error)")
            }
        }
        // The other session ends (its server process terminated; psql then exits by itself).
        let backend = try await TestPostgres.query("SELECT l.pid \(holding)")
        try await TestPostgres.query("SELECT pg_terminate_backend(\(backend))")
        try await TestPostgres.waitUntilBackendIsGone(backend)
        try await OffPool.run { holder.waitUntilExit() }
        // The other session gone, the ledger works again; the refused write left nothing behind.
        #expect(try await ledger.order(sourceID: "before")?.sourceID == "before")
        #expect(try await ledger.order(sourceID: "during") == nil)
        #expect(try await ledger.logs(LogFilter()).isEmpty)
        await ledger.close()
        try await TestPostgres.query("DROP SCHEMA \(location.schema) CASCADE")
    }

    /// The server stops answering (its processes frozen, as a partition or a stalled host
    /// would leave them): the call gives up after twice the timeout with `noAnswer`.
    @Test func aServerThatStopsAnsweringIsGivenUpOn() async throws {
        let database = try await TestPostgres.Database.create()
        let location = try PostgresLocation(url: try database.url("timeout=3"))
        let ledger = try await PostgresLedger.open(location: location, account: "acme", password: nil)
        try await ledger.commit([.saveOrder(LedgerContractTests.order("before"))])
        let frozen = try await database.freeze()
        #expect(!frozen.isEmpty, "the ledger's connections")
        do {
            _ = try await ledger.order(sourceID: "before")
            Issue.record("a frozen server answered")
        } catch let error as LedgerError {
            switch error {
            case .noAnswer(let path, let seconds):
                #expect(path == "\(location)" && seconds == 6)
                #expect("\(error)".contains("gave no answer within 6 s") && "\(error)".contains("network"), "\(error)")
            default:
                Issue.record("not noAnswer: \(error)")
            }
        } catch {
            try await database.thaw(frozen)
            throw error
        }
        try await database.thaw(frozen)
        await ledger.close()
        try await database.drop()
    }

    /// A machine that dies holding the import lock sends no FIN: only the server's TCP keepalive
    /// probes end its session and free the lock. The lock session's server-side socket probes
    /// after 10 s of silence (the kernel's own timer, read with `ss`), not the system's two hours.
    @Test func theServerProbesTheLockSessionSoADeadMachinesLockIsFreedSoon() async throws {
        let url = try TestPostgres.freshURL()
        let location = try PostgresLocation(url: url)
        let serverPort = try #require(URLComponents(string: url)?.port, "the test cluster is on TCP: \(url)")
        let ledger = try await PostgresLedger.open(location: location, account: "acme", password: nil)
        let holder = LockHolder(pid: 4242, host: "worker-k", startedAt: Date())
        _ = try await ledger.acquireImportLock(holder, staleAfter: 120)
        let backend = try await TestPostgres.query("SELECT backend_pid FROM \(location.schema).import_locks WHERE account = 'acme'")
        let clientPort = try await TestPostgres.query("SELECT client_port FROM pg_stat_activity WHERE pid = \(backend)")
        #expect(Int(clientPort) ?? 0 > 0, "the lock session is on TCP: '\(clientPort)'")
        let socket = try await OffPool.run {
            try Self.run("/usr/bin/env", ["ss", "-tnoH", "state", "established", "( sport = :\(serverPort) and dport = :\(clientPort) )"])
        }
        // e.g. `0 0 127.0.0.1:5433 127.0.0.1:41234 timer:(keepalive,9.8sec,0)`; the default is `…,119min,0)`.
        let timer = try #require(socket.firstMatch(of: /timer:\(keepalive,([0-9.]+)(ms|sec|min),/), "no keepalive timer on the lock session's socket: \(socket)")
        let seconds = (Double(timer.1) ?? .infinity) * (timer.2 == "min" ? 60 : timer.2 == "ms" ? 0.001 : 1)
        #expect(seconds <= 10, "the server probes within 10 s of silence: \(socket)")
        try await ledger.releaseImportLock(holder)
        await ledger.close()
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
