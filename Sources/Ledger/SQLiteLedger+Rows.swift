import Foundation
import GRDB

extension SQLiteLedger {
    // MARK: Orders

    public func order(sourceID: String) async throws -> OrderRecord? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE source_id = ?", arguments: [sourceID]).map(Self.order) }
    }

    public func order(sourceNumber: String) async throws -> OrderRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE source_number = ? ORDER BY updated_at DESC LIMIT 1",
                             arguments: [sourceNumber]).map(Self.order)
        }
    }

    public func saveOrder(_ record: OrderRecord) async throws {
        try await pool.write { db in try Self.save(record, db) }
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
        return try await pool.read { db in try Row.fetchAll(db, sql: statement, arguments: values).map(Self.order) }
    }

    // MARK: Payloads sent

    public func payload(sourceID: String, hash: String) async throws -> PushedPayload? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM pushed_payloads WHERE source_id = ? AND hash = ?", arguments: [sourceID, hash]).map(Self.payload)
        }
    }

    public func savePayload(_ payload: PushedPayload) async throws {
        try await pool.write { db in try Self.save(payload, db) }
    }

    public func payloads() async throws -> [PushedPayload] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM pushed_payloads ORDER BY source_id, hash").map(Self.payload) }
    }

    // MARK: Customer mapping, products, reference data

    public func customerMapping(customerID: String) async throws -> CustomerMapping? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM customer_mappings WHERE customer_id = ?", arguments: [customerID]).map(Self.mapping)
        }
    }

    public func saveCustomerMapping(_ mapping: CustomerMapping) async throws {
        try await pool.write { db in try Self.save(mapping, db) }
    }

    public func forgetCustomerMapping(customerID: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM customer_mappings WHERE customer_id = ?", arguments: [customerID])
            return db.changesCount > 0
        }
    }

    public func customerMappings() async throws -> [CustomerMapping] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM customer_mappings ORDER BY customer_id").map(Self.mapping) }
    }

    public func saveCreatedProduct(_ product: CreatedProduct) async throws {
        try await pool.write { db in try Self.save(product, db) }
    }

    public func createdProducts() async throws -> [CreatedProduct] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM created_products ORDER BY product_code").map { row in
                CreatedProduct(productCode: row["product_code"], guid: row["guid"], runID: row["run_id"],
                               createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    public func referenceData(kind: String) async throws -> CachedReference? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM reference_data WHERE kind = ?", arguments: [kind]).map { row in
                CachedReference(kind: row["kind"], items: row["items"], fetchedAt: Date(timeIntervalSince1970: row["fetched_at"]))
            }
        }
    }

    public func saveReferenceData(_ reference: CachedReference) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO reference_data (kind, items, fetched_at) VALUES (?, ?, ?)",
                           arguments: [reference.kind, reference.items, reference.fetchedAt.timeIntervalSince1970])
        }
    }

    // MARK: Runs

    public func beginRun(_ run: ImportRun) async throws -> ImportRun {
        try await pool.write { db in
            var started = run
            try db.execute(sql: """
                INSERT INTO import_runs (batch_paths, batch_hash, state, checkpoint, total, counts, calls, pid, host, started_at, finished_at, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: Self.runArguments(run))
            started.id = db.lastInsertedRowID
            return started
        }
    }

    public func saveRun(_ run: ImportRun) async throws {
        try await pool.write { db in try Self.save(run, db) }
    }

    public func run(id: Int64) async throws -> ImportRun? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM import_runs WHERE id = ?", arguments: [id]).map(Self.run) }
    }

    public func unfinishedRun(batchHash: String) async throws -> ImportRun? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM import_runs WHERE batch_hash = ? AND state != 'finished' ORDER BY id DESC LIMIT 1",
                             arguments: [batchHash]).map(Self.run)
        }
    }

    public func runs(limit: Int) async throws -> [ImportRun] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM import_runs ORDER BY id DESC LIMIT ?", arguments: [max(0, limit)]).map(Self.run)
        }
    }

    // MARK: Calls and log

    public func addCalls(month: String, counts: [String: Int]) async throws {
        try await pool.write { db in try Self.add(month: month, counts: counts, db) }
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
        try await pool.write { db in try Self.append(entry, db) }
    }

    public func logs(_ filter: LogFilter) async throws -> [LogEntry] {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let v = filter.orderNumber { clauses.append("order_number = ?"); arguments.append(v) }
        if let v = filter.sourceID { clauses.append("source_id = ?"); arguments.append(v) }
        if filter.errorsOnly { clauses.append("outcome IN ('error', 'rejected', 'blocked')") }
        if let v = filter.since { clauses.append("time >= ?"); arguments.append(v.timeIntervalSince1970) }
        if let v = filter.runID { clauses.append("run_id = ?"); arguments.append(v) }
        var sql = "SELECT * FROM integration_log"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY id DESC"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        let statement = sql
        let values = StatementArguments(arguments)
        return try await pool.read { db in try Row.fetchAll(db, sql: statement, arguments: values).map(Self.log).reversed() }
    }

    public func commit(_ changes: [LedgerChange]) async throws {
        try await pool.write { db in
            for change in changes {
                switch change {
                case .saveOrder(let record): try Self.save(record, db)
                case .saveCustomerMapping(let mapping): try Self.save(mapping, db)
                case .saveCreatedProduct(let product): try Self.save(product, db)
                case .appendLog(let entry): _ = try Self.append(entry, db)
                case .saveRun(let run): try Self.save(run, db)
                case .addCalls(let month, let counts): try Self.add(month: month, counts: counts, db)
                case .savePayload(let payload): try Self.save(payload, db)
                case .prunePayloads(let sourceID, let keeping): try Self.prunePayloads(sourceID: sourceID, keeping: keeping, db)
                }
            }
        }
    }
}
