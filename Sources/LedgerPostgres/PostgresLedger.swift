import Foundation
import Ledger
import Logging
import PostgresNIO
import Synchronization

/// The ledger in a PostgreSQL database shared by many accounts and machines (PostgresNIO).
///
/// One instance is one account's view of a `PostgresLedgerStore` (the process's pool for that
/// database): every row it reads or writes carries `account`. The import lock is a session
/// advisory lock on a dedicated connection, held for the run: when that connection dies the
/// server drops the lock, the next run takes it over and resumes from the checkpoint, and this
/// run's next state write or heartbeat fails with `LedgerError.lockLost` (the fence, `Ledger`).
public final class PostgresLedger: Ledger {
    /// The pool this view uses.
    public let store: PostgresLedgerStore
    /// The account whose rows this instance reads and writes.
    public let account: String
    /// The second key of this account's advisory lock (`accounts.id`).
    let accountKey: Int32
    let lock = Mutex<LockSession?>(nil)
    /// Set when this instance held the import lock and lost it (its heartbeat failed, or the
    /// fence found the session no longer holds it); cleared by the next acquire. While set,
    /// every write transaction is refused with `lockLost`: the workers still finishing their
    /// orders must not write once another run may hold the lock.
    let lockLost = Mutex<Bool>(false)
    /// Whether `close()` ran (the view's use of the store is over).
    private let closed = Mutex<Bool>(false)

    /// Where the ledger is (printable: no password).
    public var location: PostgresLocation { store.location }
    var client: PostgresClient { store.client }
    var connectionConfiguration: PostgresConnection.Configuration { store.connectionConfiguration }
    var logger: Logger { store.logger }

    /// The ledger of `account` on the process's store for `location` (connected and migrated
    /// once per process; see `PostgresLedgerStore`); every failure is a `LedgerError` that
    /// never names the password. `close()` it when done.
    public static func open(location: PostgresLocation, account: String, password: String?,
                            logger: Logger = Logger(label: "omsync.ledger.postgres")) async throws(LedgerError) -> PostgresLedger {
        let store = try await PostgresLedgerStore.open(location: location, password: password, logger: logger)
        do throws(LedgerError) {
            let ledger = try await store.ledger(account: account)
            await store.close()
            return ledger
        } catch {
            await store.close()
            throw error
        }
    }

    init(store: PostgresLedgerStore, account: String, accountKey: Int32) {
        self.store = store
        self.account = account
        self.accountKey = accountKey
    }

    /// A ledger dropped while holding the lock closes the lock's connection (the server then
    /// drops the lock); one dropped without `close()` ends its use of the store.
    deinit {
        if let connection = lock.withLock({ $0?.connection }) {
            connection.close().whenComplete { _ in _ = connection }
        }
        if !closed.withLock({ $0 }) { store.releaseUse() }
    }

    /// Closes the lock connection (dropping the lock, as a crash would) and ends this view's use
    /// of the store (the last use shuts the pool down).
    public func close() async {
        let session = lock.withLock { current -> LockSession? in
            defer { current = nil }
            return current
        }
        if let session { try? await session.connection.close() }
        let first = closed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        if first { await store.release() }
    }

    /// What every connection asks of the server: the schema, a name in `pg_stat_activity`, and
    /// the timeouts (a statement that runs or waits for a lock longer than `location.timeout`
    /// is cancelled; a transaction left idle twice as long, by a client that died or went
    /// silent, is ended and its row locks freed).
    ///
    /// And TCP keepalives, so the server finds out about a client machine that died or a network
    /// that dropped it (no FIN, no RST: without probes the server keeps the session, and an
    /// import's advisory lock with it, for the system default of two hours and more): probes
    /// after 10 s of silence, every 5 s, the session ended after 3 unanswered, and after 30 s
    /// of data sent and not acknowledged (`tcp_user_timeout`, PostgreSQL 12 or later). The
    /// lock of a machine that died is free for the next run within about 30 s.
    static func startupParameters(_ location: PostgresLocation) -> [(String, String)] {
        [("search_path", location.schema), ("application_name", "omsync"),
         ("statement_timeout", "\(location.timeout)s"), ("lock_timeout", "\(location.timeout)s"),
         ("idle_in_transaction_session_timeout", "\(location.timeout * 2)s")]
            + keepalives.map { ($0.name, $0.value) }
    }

    /// The server-side TCP keepalive settings of every connection (see `startupParameters`).
    static let keepalives: [(name: String, value: String)] = [
        ("tcp_keepalives_idle", "10"), ("tcp_keepalives_interval", "5"), ("tcp_keepalives_count", "3"),
        ("tcp_user_timeout", "30000"),
    ]

    /// How long omsync waits for the server's answer to one call before it gives up: twice the
    /// statement timeout, so a server that is alive always answers (if only with its timeout) first.
    var answerSeconds: Int { location.timeout * 2 }

    /// `body` with a deadline, its failures as `LedgerError`s that say what happened (PostgresNIO's
    /// own descriptions hide everything): `.noAnswer` when the server went silent, `.failed`
    /// with the server's message otherwise; a `LedgerError` of `body`'s own passes unchanged.
    func answered<T: Sendable>(within seconds: Int? = nil, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Self.answered(location: location, within: seconds ?? answerSeconds, body)
    }

    static func answered<T: Sendable>(location: PostgresLocation, within limit: Int,
                                      _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await Deadline.run(.seconds(limit), body)
        } catch let error as LedgerError {
            throw error
        } catch is DeadlinePassed {
            throw LedgerError.noAnswer(path: "\(location)", seconds: limit)
        } catch let error as PostgresTransactionError {
            // PostgresNIO's transaction wraps the error: the body's own (a fence, a refusal) is
            // what happened; else the BEGIN's or COMMIT's.
            if let own = error.closureError as? LedgerError { throw own }
            let cause = error.closureError ?? error.commitError ?? error.beginError ?? error
            throw LedgerError.failed(path: "\(location)", reason: PostgresFailure.describe(cause))
        } catch {
            throw LedgerError.failed(path: "\(location)", reason: PostgresFailure.describe(error))
        }
    }

    /// The rows of one query on a pooled connection, with the deadline.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let client = self.client
        return try await answered { try await client.query(query).collect() }
    }

    /// The account's row in `accounts` (created on first use); its id keys the advisory lock.
    static func registerAccount(_ account: String, client: PostgresClient) async throws -> Int32 {
        let now = Date().timeIntervalSince1970
        try await client.query("INSERT INTO accounts (name, created_at) VALUES (\(account), \(now)) ON CONFLICT (name) DO NOTHING")
        for try await id in try await client.query("SELECT id FROM accounts WHERE name = \(account)").decode(Int32.self) {
            return id
        }
        throw LedgerError.damaged(path: "accounts", reason: "the account row for '\(account)' could not be read back")
    }

    /// Runs `body` (one statement) on a pooled connection, within the deadline.
    func connection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = self.client
        return try await answered { try await client.withConnection { connection in try await body(connection) } }
    }

    /// Runs `body` in one transaction on a pooled connection (PostgresNIO's `withTransaction`):
    /// committed when it returns, rolled back when it throws (the body's own `LedgerError` is
    /// rethrown), all within the deadline (`within` seconds when given, for a transaction of
    /// many statements).
    func transaction<T: Sendable>(within seconds: Int? = nil,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger, client = self.client
        return try await answered(within: seconds) {
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }
}

/// Turns PostgresNIO's errors into words (its own description hides everything).
enum PostgresFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            switch error.code {
            case .connectionError:
                return "cannot connect (\(error.underlying.map { "\($0)" } ?? "connection refused")); is the server running and reachable?"
            case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                return "the connection to the server was lost"
            case .sslUnsupported:
                return "the server does not offer TLS, which the ledger URL requires (always for a host that is not loopback; on a loopback "
                    + "host when it says sslmode=require): enable TLS on the server, or, for a local server, drop sslmode=require"
            case .authMechanismRequiresPassword:
                return "the server asks for a password: set PGPASSWORD or give --ledger-password-file"
            default:
                return "\(error.code)"
            }
        }
        if let error = error as? PostgresDecodingError {
            return "a column could not be read (\(error.code)); the schema may have been changed by hand"
        }
        return "\(error)"
    }
}
