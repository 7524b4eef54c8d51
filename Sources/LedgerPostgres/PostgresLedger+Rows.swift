import Foundation
import Ledger
import PostgresNIO

extension PostgresLedger {
    // MARK: Orders

    public func order(sourceID: String) async throws -> OrderRecord? {
        try await first("SELECT * FROM orders WHERE account = \(account) AND source_id = \(sourceID)", Self.order)
    }

    public func order(sourceNumber: String) async throws -> OrderRecord? {
        try await first("""
            SELECT * FROM orders WHERE account = \(account) AND source_number = \(sourceNumber) ORDER BY updated_at DESC LIMIT 1
            """, Self.order)
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
            """, Self.order)
    }

    // MARK: Payloads sent

    public func payload(sourceID: String, hash: String) async throws -> PushedPayload? {
        try await first("""
            SELECT * FROM pushed_payloads WHERE account = \(account) AND source_id = \(sourceID) AND hash = \(hash)
            """, Self.payload)
    }

    public func savePayload(_ payload: PushedPayload) async throws {
        try await commit([.savePayload(payload)])
    }

    public func payloads() async throws -> [PushedPayload] {
        try await all("SELECT * FROM pushed_payloads WHERE account = \(account) ORDER BY source_id, hash", Self.payload)
    }

    // MARK: Customer mapping, products, reference data

    public func customerMapping(customerID: String) async throws -> CustomerMapping? {
        try await first("SELECT * FROM customer_mappings WHERE account = \(account) AND customer_id = \(customerID)", Self.mapping)
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
        try await all("SELECT * FROM customer_mappings WHERE account = \(account) ORDER BY customer_id", Self.mapping)
    }

    public func saveCreatedProduct(_ product: CreatedProduct) async throws {
        try await commit([.saveCreatedProduct(product)])
    }

    public func createdProducts() async throws -> [CreatedProduct] {
        try await all("SELECT * FROM created_products WHERE account = \(account) ORDER BY product_code") { row in
            let r = row.makeRandomAccess()
            return CreatedProduct(productCode: try r["product_code"].decode(String.self), guid: try r["guid"].decode(String.self),
                                  runID: try r["run_id"].decode(Int64?.self),
                                  createdAt: Date(timeIntervalSince1970: try r["created_at"].decode(Double.self)))
        }
    }

    public func referenceData(kind: String) async throws -> CachedReference? {
        try await first("SELECT * FROM reference_data WHERE account = \(account) AND kind = \(kind)") { row in
            let r = row.makeRandomAccess()
            return CachedReference(kind: try r["kind"].decode(String.self), items: try r["items"].decode(Data.self),
                                   fetchedAt: Date(timeIntervalSince1970: try r["fetched_at"].decode(Double.self)))
        }
    }

    public func saveReferenceData(_ reference: CachedReference) async throws {
        _ = try await rows("""
            INSERT INTO reference_data (account, kind, items, fetched_at)
            VALUES (\(account), \(reference.kind), \(reference.items), \(reference.fetchedAt.timeIntervalSince1970))
            ON CONFLICT (account, kind) DO UPDATE SET items = excluded.items, fetched_at = excluded.fetched_at
            """)
    }

    // MARK: Runs

    public func beginRun(_ run: ImportRun) async throws -> ImportRun {
        let returned = try await rows("""
            INSERT INTO import_runs (account, batch_paths, batch_hash, state, checkpoint, total, counts, calls, pid, host, started_at, finished_at, message)
            VALUES (\(account), \(Self.json(run.batchPaths)), \(run.batchHash), \(run.state.rawValue), \(run.checkpoint), \(run.total),
              \(Self.json(run.counts)), \(run.calls), \(Int64(run.pid)), \(run.host), \(run.startedAt.timeIntervalSince1970),
              \(run.finishedAt?.timeIntervalSince1970), \(run.message))
            RETURNING id
            """)
        var started = run
        for row in returned { started.id = try row.decode(Int64.self) }
        return started
    }

    public func saveRun(_ run: ImportRun) async throws {
        try await commit([.saveRun(run)])
    }

    public func run(id: Int64) async throws -> ImportRun? {
        try await first("SELECT * FROM import_runs WHERE account = \(account) AND id = \(id)", Self.run)
    }

    public func unfinishedRun(batchHash: String) async throws -> ImportRun? {
        try await first("""
            SELECT * FROM import_runs WHERE account = \(account) AND batch_hash = \(batchHash) AND state != 'finished' ORDER BY id DESC LIMIT 1
            """, Self.run)
    }

    public func runs(limit: Int) async throws -> [ImportRun] {
        try await all("SELECT * FROM import_runs WHERE account = \(account) ORDER BY id DESC LIMIT \(max(0, limit))", Self.run)
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
        return try await transaction { db in try await Self.appendLog(entry, account: account, db, logger) }
    }

    public func logs(_ filter: LogFilter) async throws -> [LogEntry] {
        let since = filter.since?.timeIntervalSince1970
        let limit = filter.limit.map { Int64(max(0, $0)) }
        let rows = try await all("""
            SELECT * FROM integration_log WHERE account = \(account)
              AND (\(filter.orderNumber)::text IS NULL OR order_number = \(filter.orderNumber))
              AND (\(filter.sourceID)::text IS NULL OR source_id = \(filter.sourceID))
              AND (NOT \(filter.errorsOnly) OR outcome IN ('error', 'rejected', 'blocked'))
              AND (\(since)::double precision IS NULL OR time >= \(since))
              AND (\(filter.runID)::bigint IS NULL OR run_id = \(filter.runID))
            ORDER BY id DESC LIMIT \(limit)
            """, Self.log)
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
        let writesState = changes.contains { change in
            switch change {
            case .appendLog, .addCalls: return false
            default: return true
            }
        }
        try await transaction { db in
            if writesState { try await self.checkFence(db) }
            for change in changes {
                switch change {
                case .saveOrder(let record): try await Self.saveOrder(record, account: account, db, logger)
                case .saveCustomerMapping(let mapping): try await Self.saveMapping(mapping, account: account, db, logger)
                case .saveCreatedProduct(let product): try await Self.saveProduct(product, account: account, db, logger)
                case .appendLog(let entry): _ = try await Self.appendLog(entry, account: account, db, logger)
                case .saveRun(let run): try await Self.saveRun(run, account: account, db, logger)
                case .addCalls(let month, let counts): try await Self.addCalls(month: month, counts: counts, account: account, db, logger)
                case .savePayload(let payload): try await Self.savePayload(payload, account: account, db, logger)
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
}
