import Foundation
import Ledger
import Logging
import PostgresNIO
import Synchronization

/// One PostgreSQL ledger database (a URL and schema) in this process: one connection pool and
/// one migration, shared by every account's `PostgresLedger` on it.
///
/// `open` gives the process's store for a location (the first open connects and migrates; later
/// ones share it); `ledger(account:)` vends an account's view. The store and each view are
/// uses of the pool: each is ended by its `close()`, and the last one shuts the pool down and
/// waits until it has stopped, so nothing of it outlives the last close.
public final class PostgresLedgerStore: Sendable {
    /// Where the ledger is (printable: no password).
    public let location: PostgresLocation
    let client: PostgresClient
    /// For the import lock's dedicated connections.
    let connectionConfiguration: PostgresConnection.Configuration
    let logger: Logger
    let key: Key
    /// Which opening of `key` this store is (a later store of the same key is another).
    let opening: UInt64
    /// `client.run()`, owned by the store: cancelled and awaited by the last `close()`.
    private let runner: Task<Void, Never>
    /// The uses (the store's openers and the views); nil once the last ended (shut down).
    private let users = Mutex<Int?>(0)

    struct Key: Hashable {
        let location: PostgresLocation
        let password: String?
    }

    /// One store of this process being opened or open.
    struct Opening {
        let id: UInt64
        let task: Task<PostgresLedgerStore, any Error>
    }

    /// The stores of this process by location and password, each while it is being opened or
    /// open, and the last opening's id.
    private static let stores = Mutex<(open: [Key: Opening], last: UInt64)>(([:], 0))

    /// The process's store for `location`: connected and migrated by the first caller, shared by
    /// the later ones. Every failure is a `LedgerError` that never names the password. The
    /// caller ends its use with `close()`.
    public static func open(location: PostgresLocation, password: String?,
                            logger: Logger = Logger(label: "omsync.ledger.postgres")) async throws(LedgerError) -> PostgresLedgerStore {
        let key = Key(location: location, password: password)
        while true {
            let opening = stores.withLock { stores in
                if let opening = stores.open[key] { return opening }
                stores.last += 1
                let id = stores.last
                let opening = Opening(id: id, task: Task { try await connect(key, opening: id, logger: logger) })
                stores.open[key] = opening
                return opening
            }
            let store: PostgresLedgerStore
            do {
                store = try await opening.task.value
            } catch {
                forget(key, opening: opening.id)
                throw error as? LedgerError ?? .unavailable(path: "\(location)", reason: PostgresFailure.describe(error))
            }
            // A store whose last user is closing it is not used again: open another.
            if store.retain() { return store }
            forget(key, opening: opening.id)
        }
    }

    /// Removes the opening `id` of `key` from the process's stores (not a later one).
    private static func forget(_ key: Key, opening id: UInt64) {
        stores.withLock { stores in
            if stores.open[key]?.id == id { stores.open[key] = nil }
        }
    }

    /// Connects the pool and brings the schema up to date.
    private static func connect(_ key: Key, opening: UInt64, logger: Logger) async throws -> PostgresLedgerStore {
        let location = key.location
        let tls: PostgresClient.Configuration.TLS
        let connectionTLS: PostgresConnection.Configuration.TLS
        if location.requireTLS {
            let configuration = TLSConfiguration.makeClientConfiguration()
            tls = .require(configuration)
            do {
                connectionTLS = .require(try NIOSSLContext(configuration: configuration))
            } catch {
                throw LedgerError.unavailable(path: "\(location)", reason: "TLS cannot be set up (\(error))")
            }
        } else {
            tls = .disable
            connectionTLS = .disable
        }
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                         password: key.password, database: location.database, tls: tls)
        configuration.options.additionalStartupParameters = PostgresLedger.startupParameters(location)
        configuration.options.maximumConnections = 8
        configuration.options.connectTimeout = .seconds(10)
        var single = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                      password: key.password, database: location.database, tls: connectionTLS)
        single.options.additionalStartupParameters = PostgresLedger.startupParameters(location)
        single.options.connectTimeout = .seconds(10)
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        let runner = Task { await client.run() }
        do {
            let connection = try await PostgresConnection.connect(configuration: single, id: 0, logger: quiet)
            do {
                try await PostgresMigrations.migrate(connection, location: location, logger: quiet)
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch LedgerMigrationProblem.newer(let unknown) {
            await stop(runner)
            throw LedgerError.newerSchema(path: "\(location)", unknownMigrations: unknown)
        } catch LedgerMigrationProblem.foreign(let tables) {
            await stop(runner)
            throw LedgerError.damaged(path: "\(location)", reason: "schema '\(location.schema)' holds tables that are not an omsync ledger (\(tables.prefix(5).joined(separator: ", "))); give another ?schema=NAME")
        } catch let error as LedgerError {
            await stop(runner)
            throw error
        } catch {
            await stop(runner)
            throw LedgerError.unavailable(path: "\(location)", reason: PostgresFailure.describe(error))
        }
        return PostgresLedgerStore(location: location, client: client, connectionConfiguration: single, logger: quiet, key: key,
                                   opening: opening, runner: runner)
    }

    private static func stop(_ runner: Task<Void, Never>) async {
        runner.cancel()
        await runner.value
    }

    private init(location: PostgresLocation, client: PostgresClient, connectionConfiguration: PostgresConnection.Configuration,
                 logger: Logger, key: Key, opening: UInt64, runner: Task<Void, Never>) {
        self.location = location
        self.client = client
        self.connectionConfiguration = connectionConfiguration
        self.logger = logger
        self.key = key
        self.opening = opening
        self.runner = runner
    }

    /// The view of one account (registered in `accounts` on first use). The view is a use of
    /// this store until its own `close()`.
    public func ledger(account: String) async throws(LedgerError) -> PostgresLedger {
        guard retain() else { throw .unavailable(path: "\(location)", reason: "the ledger was closed") }
        do {
            let key = try await PostgresLedger.registerAccount(account, client: client)
            return PostgresLedger(store: self, account: account, accountKey: key)
        } catch {
            await release()
            throw error as? LedgerError ?? .unavailable(path: "\(location)", reason: PostgresFailure.describe(error))
        }
    }

    /// The names of every account in this database, sorted (without registering any).
    public func accountNames() async throws -> [String] {
        let client = self.client
        let rows = try await PostgresLedger.answered(location: location, within: location.timeout * 2) {
            try await client.query("SELECT name FROM accounts ORDER BY name").collect()
        }
        return try rows.map { try $0.decode(String.self) }
    }

    /// Ends the opener's use; the last use shuts the pool down.
    public func close() async { await release() }

    /// Adds a use; false when the store is already shut down.
    func retain() -> Bool {
        users.withLock { users in
            guard let count = users else { return false }
            users = count + 1
            return true
        }
    }

    /// Ends a use; the last one shuts the pool down and waits for it to stop (at most the
    /// deadline of a call: a server gone silent does not hold a command at its end).
    func release() async {
        guard releaseUse() else { return }
        let runner = self.runner
        _ = try? await Deadline.run(.seconds(location.timeout * 2)) { await runner.value }
    }

    /// Ends a use without waiting (a view dropped without `close()`); true when it was the last.
    @discardableResult
    func releaseUse() -> Bool {
        let last = users.withLock { users -> Bool in
            guard let count = users else { return false }
            users = count <= 1 ? nil : count - 1
            return users == nil
        }
        guard last else { return false }
        Self.forget(key, opening: opening)
        runner.cancel()
        return true
    }
}
