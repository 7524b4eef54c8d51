import Foundation
import Ledger
import PostgresNIO

extension PostgresLedger {
    // MARK: Orders

    public func order(sourceID: String) async throws -> OrderRecord? {
        try await first("SELECT * FROM orders WHERE account = \(account) AND source_id = \(sourceID)", LedgerTables.orders)
    }

    public func order(sourceNumber: String) async throws -> OrderRecord? {
        try await first("""
            SELECT * FROM orders WHERE account = \(account) AND source_number = \(sourceNumber) ORDER BY updated_at DESC LIMIT 1
            """, LedgerTables.orders)
    }

    public func saveOrder(_ record: OrderRecord) async throws {
        try await commit([.saveOrder(record)])
    }

    public func orders(_ filter: OrderFilter) async throws -> [OrderRecord] {
        let states = filter.states.map { $0.map(\.rawValue).sorted() }
        let limit = filter.limit.map { Int64(max(0, $0)) }
        return try await all("""
            SELECT * FROM orders WHERE account = \(account) AND (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
              AND (NOT \(filter.failedOnly) OR last_error IS NOT NULL)
            ORDER BY updated_at, source_id LIMIT \(limit)
            """, LedgerTables.orders)
    }

    // MARK: Payloads sent

    public func payload(sourceID: String, hash: String) async throws -> PushedPayload? {
        try await first("""
            SELECT * FROM pushed_payloads WHERE account = \(account) AND source_id = \(sourceID) AND hash = \(hash)
            """, LedgerTables.payloads)
    }

    public func savePayload(_ payload: PushedPayload) async throws {
        try await commit([.savePayload(payload)])
    }

    public func payloads() async throws -> [PushedPayload] {
        try await all("SELECT * FROM pushed_payloads WHERE account = \(account) ORDER BY source_id, hash", LedgerTables.payloads)
    }

    // MARK: Customer mapping, products, reference data

    public func customerMapping(customerID: String) async throws -> CustomerMapping? {
        try await first("SELECT * FROM customer_mappings WHERE account = \(account) AND customer_id = \(customerID)", LedgerTables.customerMappings)
    }

    public func saveCustomerMapping(_ mapping: CustomerMapping) async throws {
        try await commit([.saveCustomerMapping(mapping)])
    }

    public func forgetCustomerMapping(customerID: String) async throws -> Bool {
        try await !rows("""
            DELETE FROM customer_mappings WHERE account = \(account) AND customer_id = \(customerID) RETURNING customer_id
            """).isEmpty
    }

    public func customerMappings() async throws -> [CustomerMapping] {
        try await all("SELECT * FROM customer_mappings WHERE account = \(account) ORDER BY customer_id", LedgerTables.customerMappings)
    }

    public func saveCreatedProduct(_ product: CreatedProduct) async throws {
        try await commit([.saveCreatedProduct(product)])
    }

    public func createdProducts() async throws -> [CreatedProduct] {
        try await all("SELECT * FROM created_products WHERE account = \(account) ORDER BY product_code", LedgerTables.createdProducts)
    }

    public func referenceData(kind: String) async throws -> CachedReference? {
        try await first("SELECT * FROM reference_data WHERE account = \(account) AND kind = \(kind)", LedgerTables.referenceData)
    }

    public func saveReferenceData(_ reference: CachedReference) async throws {
        let (account, logger) = (self.account, self.logger)
        try await connection { db in try await Self.save(LedgerTables.referenceData, reference, account: account, db, logger) }
    }

    // MARK: Watchers

    public func saveWatchStatus(_ status: WatchStatus) async throws {
        let (account, logger) = (self.account, self.logger)
        try await connection { db in try await Self.save(LedgerTables.watchStatus, status, account: account, db, logger) }
    }

    public func watchStatuses() async throws -> [WatchStatus] {
        try await all("SELECT * FROM watch_status WHERE account = \(account) ORDER BY last_cycle_at DESC, directory", LedgerTables.watchStatus)
    }

    // MARK: Runs

    public func beginRun(_ run: ImportRun) async throws -> ImportRun {
        let (account, logger) = (self.account, self.logger)
        var started = run
        started.id = try await connection { db in try await Self.insert(LedgerTables.runs, run, account: account, db, logger) } ?? 0
        return started
    }

    public func saveRun(_ run: ImportRun) async throws {
        try await commit([.saveRun(run)])
    }

    public func run(id: Int64) async throws -> ImportRun? {
        try await first("SELECT * FROM import_runs WHERE account = \(account) AND id = \(id)", LedgerTables.runs)
    }

    public func unfinishedRun(batchHash: String) async throws -> ImportRun? {
        try await first("""
            SELECT * FROM import_runs WHERE account = \(account) AND batch_hash = \(batchHash) AND state != \(RunState.finished.rawValue) ORDER BY id DESC LIMIT 1
            """, LedgerTables.runs)
    }

    public func runs(limit: Int) async throws -> [ImportRun] {
        try await all("SELECT * FROM import_runs WHERE account = \(account) ORDER BY id DESC LIMIT \(max(0, limit))", LedgerTables.runs)
    }

    // MARK: Calls and log

    public func addCalls(month: String, counts: [String: Int]) async throws {
        try await commit([.addCalls(month: month, counts: counts)])
    }

    public func calls(month: String) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await rows("SELECT endpoint, count FROM api_calls WHERE account = \(account) AND month = \(month)") {
            let (endpoint, count) = try row.decode((String, Int).self)
            result[endpoint] = count
        }
        return result
    }

    @discardableResult
    public func appendLog(_ entry: LogEntry) async throws -> LogEntry {
        let account = self.account
        let logger = self.logger
        var saved = entry
        saved.id = try await transaction { db in try await Self.insert(LedgerTables.log, entry, account: account, db, logger) } ?? 0
        return saved
    }

    public func logs(_ filter: LogFilter) async throws -> [LogEntry] {
        let since = filter.since?.timeIntervalSince1970
        let limit = filter.limit.map { Int64(max(0, $0)) }
        let failures = LogOutcome.failures.map(\.rawValue)
        let rows = try await all("""
            SELECT * FROM integration_log WHERE account = \(account)
              AND (\(filter.orderNumber)::text IS NULL OR order_number = \(filter.orderNumber))
              AND (\(filter.sourceID)::text IS NULL OR source_id = \(filter.sourceID))
              AND (NOT \(filter.errorsOnly) OR outcome = ANY(\(failures)::text[]))
              AND (\(since)::double precision IS NULL OR time >= \(since))
              AND (\(filter.runID)::bigint IS NULL OR run_id = \(filter.runID))
            ORDER BY id DESC LIMIT \(limit)
            """, LedgerTables.log)
        return rows.reversed()
    }

    // MARK: Transactions

    /// Every change in one transaction; while this instance holds the import lock (or once it
    /// has lost it), a transaction that writes state first checks that its session still holds
    /// it (else `LedgerError.lockLost`). Log rows and call counts only add, so they are kept even
    /// from a run that lost its lock: what it did and what it spent are true either way.
    public func commit(_ changes: [LedgerChange]) async throws {
        let account = self.account
        let logger = self.logger
        let writesState = LedgerChange.writeState(changes)
        try await transaction { db in
            if writesState { try await self.checkFence(db) }
            for change in changes {
                switch change {
                case .saveOrder(let record): try await Self.save(LedgerTables.orders, record, account: account, db, logger)
                case .saveCustomerMapping(let mapping): try await Self.save(LedgerTables.customerMappings, mapping, account: account, db, logger)
                case .saveCreatedProduct(let product): try await Self.save(LedgerTables.createdProducts, product, account: account, db, logger)
                case .appendLog(let entry): try await Self.insert(LedgerTables.log, entry, account: account, db, logger)
                case .saveRun(let run): try await Self.update(LedgerTables.runs, run, account: account, db, logger)
                case .addCalls(let month, let counts): try await Self.addCalls(month: month, counts: counts, account: account, db, logger)
                case .savePayload(let payload): try await Self.save(LedgerTables.payloads, payload, account: account, db, logger)
                case .prunePayloads(let sourceID, let keeping):
                    try await Self.prunePayloads(sourceID: sourceID, keeping: keeping, account: account, db, logger)
                }
            }
        }
    }

    // MARK: Helpers

    /// The first row of `query`, decoded. The rows are collected, not broken out of: the
    /// connection goes back to the pool with nothing pending.
    func first<T>(_ query: PostgresQuery, _ decode: (PostgresRow) throws -> T) async throws -> T? {
        try await rows(query).first.map(decode)
    }

    /// Every row of `query`, decoded.
    func all<T>(_ query: PostgresQuery, _ decode: (PostgresRow) throws -> T) async throws -> [T] {
        try await rows(query).map(decode)
    }

    /// The first row of `query`, as a record of `table`.
    func first<R>(_ query: PostgresQuery, _ table: LedgerTable<R>) async throws -> R? {
        try await rows(query).first.map { try Self.decode(table, $0) }
    }

    /// Every row of `query`, as records of `table`.
    func all<R>(_ query: PostgresQuery, _ table: LedgerTable<R>) async throws -> [R] {
        try await rows(query).map { try Self.decode(table, $0) }
    }
}
