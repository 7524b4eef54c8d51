import Foundation
import GRDB

extension SQLiteLedger {
    // MARK: Orders

    public func order(sourceID: String) async throws -> OrderRecord? {
        try await pool.read { db in try Self.fetchOne(LedgerTables.orders, db, "SELECT * FROM orders WHERE source_id = ?", [sourceID]) }
    }

    public func order(sourceNumber: String) async throws -> OrderRecord? {
        try await pool.read { db in
            try Self.fetchOne(LedgerTables.orders, db, "SELECT * FROM orders WHERE source_number = ? ORDER BY updated_at DESC LIMIT 1",
                              [sourceNumber])
        }
    }

    public func saveOrder(_ record: OrderRecord) async throws {
        try await commit([.saveOrder(record)])
    }

    public func orders(_ filter: OrderFilter) async throws -> [OrderRecord] {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let states = filter.states {
            clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
            arguments += states.map(\.rawValue).sorted()
        }
        if filter.failedOnly { clauses.append("last_error IS NOT NULL") }
        var sql = "SELECT * FROM orders"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY updated_at, source_id"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        let statement = sql
        let values = StatementArguments(arguments)
        return try await pool.read { db in try Self.fetchAll(LedgerTables.orders, db, statement, values) }
    }

    // MARK: Payloads sent

    public func payload(sourceID: String, hash: String) async throws -> PushedPayload? {
        try await pool.read { db in
            try Self.fetchOne(LedgerTables.payloads, db, "SELECT * FROM pushed_payloads WHERE source_id = ? AND hash = ?", [sourceID, hash])
        }
    }

    public func savePayload(_ payload: PushedPayload) async throws {
        try await commit([.savePayload(payload)])
    }

    public func payloads() async throws -> [PushedPayload] {
        try await pool.read { db in try Self.fetchAll(LedgerTables.payloads, db, "SELECT * FROM pushed_payloads ORDER BY source_id, hash") }
    }

    // MARK: Customer mapping, products, reference data

    public func customerMapping(customerID: String) async throws -> CustomerMapping? {
        try await pool.read { db in
            try Self.fetchOne(LedgerTables.customerMappings, db, "SELECT * FROM customer_mappings WHERE customer_id = ?", [customerID])
        }
    }

    public func saveCustomerMapping(_ mapping: CustomerMapping) async throws {
        try await commit([.saveCustomerMapping(mapping)])
    }

    public func forgetCustomerMapping(customerID: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM customer_mappings WHERE customer_id = ?", arguments: [customerID])
            return db.changesCount > 0
        }
    }

    public func customerMappings() async throws -> [CustomerMapping] {
        try await pool.read { db in try Self.fetchAll(LedgerTables.customerMappings, db, "SELECT * FROM customer_mappings ORDER BY customer_id") }
    }

    public func saveCreatedProduct(_ product: CreatedProduct) async throws {
        try await commit([.saveCreatedProduct(product)])
    }

    public func createdProducts() async throws -> [CreatedProduct] {
        try await pool.read { db in try Self.fetchAll(LedgerTables.createdProducts, db, "SELECT * FROM created_products ORDER BY product_code") }
    }

    public func referenceData(kind: String) async throws -> CachedReference? {
        try await pool.read { db in try Self.fetchOne(LedgerTables.referenceData, db, "SELECT * FROM reference_data WHERE kind = ?", [kind]) }
    }

    public func saveReferenceData(_ reference: CachedReference) async throws {
        try await write { db in try Self.save(LedgerTables.referenceData, reference, db) }
    }

    // MARK: Watchers

    public func saveWatchStatus(_ status: WatchStatus) async throws {
        try await pool.write { db in try Self.save(LedgerTables.watchStatus, status, db) }
    }

    public func watchStatuses() async throws -> [WatchStatus] {
        try await pool.read { db in
            try Self.fetchAll(LedgerTables.watchStatus, db, "SELECT * FROM watch_status ORDER BY last_cycle_at DESC, directory")
        }
    }

    // MARK: Runs

    public func beginRun(_ run: ImportRun) async throws -> ImportRun {
        try await write { db in
            var started = run
            started.id = try Self.insert(LedgerTables.runs, run, db)
            return started
        }
    }

    public func saveRun(_ run: ImportRun) async throws {
        try await commit([.saveRun(run)])
    }

    public func run(id: Int64) async throws -> ImportRun? {
        try await pool.read { db in try Self.fetchOne(LedgerTables.runs, db, "SELECT * FROM import_runs WHERE id = ?", [id]) }
    }

    public func unfinishedRun(batchHash: String) async throws -> ImportRun? {
        try await pool.read { db in
            try Self.fetchOne(LedgerTables.runs, db, "SELECT * FROM import_runs WHERE batch_hash = ? AND state != ? ORDER BY id DESC LIMIT 1",
                              [batchHash, RunState.finished.rawValue])
        }
    }

    public func runs(limit: Int) async throws -> [ImportRun] {
        try await pool.read { db in
            try Self.fetchAll(LedgerTables.runs, db, "SELECT * FROM import_runs ORDER BY id DESC LIMIT ?", [max(0, limit)])
        }
    }

    // MARK: Calls and log

    public func addCalls(month: String, counts: [String: Int]) async throws {
        try await commit([.addCalls(month: month, counts: counts)])
    }

    public func calls(month: String) async throws -> [String: Int] {
        try await pool.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT endpoint, count FROM api_calls WHERE month = ?", arguments: [month]) {
                result[row["endpoint"]] = row["count"]
            }
            return result
        }
    }

    @discardableResult
    public func appendLog(_ entry: LogEntry) async throws -> LogEntry {
        try await write { db in
            var saved = entry
            saved.id = try Self.insert(LedgerTables.log, entry, db)
            return saved
        }
    }

    public func logs(_ filter: LogFilter) async throws -> [LogEntry] {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let v = filter.orderNumber { clauses.append("order_number = ?"); arguments.append(v) }
        if let v = filter.sourceID { clauses.append("source_id = ?"); arguments.append(v) }
        if filter.errorsOnly {
            clauses.append("outcome IN (\(LogOutcome.failures.map { _ in "?" }.joined(separator: ", ")))")
            arguments += LogOutcome.failures.map(\.rawValue)
        }
        if let v = filter.since { clauses.append("time >= ?"); arguments.append(v.timeIntervalSince1970) }
        if let v = filter.runID { clauses.append("run_id = ?"); arguments.append(v) }
        var sql = "SELECT * FROM integration_log"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY id DESC"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        let statement = sql
        let values = StatementArguments(arguments)
        return try await pool.read { db in try Self.fetchAll(LedgerTables.log, db, statement, values).reversed() }
    }

    /// Every change in one transaction; a transaction that writes state is fenced
    /// (`checkFence`, the contract in `Ledger`).
    public func commit(_ changes: [LedgerChange]) async throws {
        let fenced = LedgerChange.writeState(changes)
        try await write { db in
            if fenced { try self.checkFence(db) }
            for change in changes {
                switch change {
                case .saveOrder(let record): try Self.save(LedgerTables.orders, record, db)
                case .saveCustomerMapping(let mapping): try Self.save(LedgerTables.customerMappings, mapping, db)
                case .saveCreatedProduct(let product): try Self.save(LedgerTables.createdProducts, product, db)
                case .appendLog(let entry): try Self.insert(LedgerTables.log, entry, db)
                case .saveRun(let run): try Self.update(LedgerTables.runs, run, db)
                case .addCalls(let month, let counts): try Self.add(month: month, counts: counts, db)
                case .savePayload(let payload): try Self.save(LedgerTables.payloads, payload, db)
                case .prunePayloads(let sourceID, let keeping): try Self.prunePayloads(sourceID: sourceID, keeping: keeping, db)
                }
            }
        }
    }
}
