import Foundation
import GRDB

extension SQLiteLedger {
    // MARK: Moving a ledger

    public func referenceKinds() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT kind FROM reference_data ORDER BY kind") }
    }

    public func callMonths() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT month FROM api_calls ORDER BY month") }
    }

    public func importRows(_ rows: [LedgerRow]) async throws {
        let path = self.path
        try await write { db in
            let used = try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM import_runs) + (SELECT count(*) FROM integration_log)
                """) ?? 0
            guard used == 0 else { throw LedgerError.notEmpty(path: path) }
            for row in rows {
                switch row {
                case .order(let r): try Self.save(LedgerTables.orders, r, db)
                case .customerMapping(let m): try Self.save(LedgerTables.customerMappings, m, db)
                case .createdProduct(let p): try Self.save(LedgerTables.createdProducts, p, db)
                case .reference(let r): try Self.save(LedgerTables.referenceData, r, db)
                case .run(let run): try Self.insert(LedgerTables.runs, run, keepingGenerated: true, db)
                case .calls(let month, let counts): try Self.add(month: month, counts: counts, db)
                case .log(let e): try Self.insert(LedgerTables.log, e, keepingGenerated: true, db)
                case .payload(let p): try Self.save(LedgerTables.payloads, p, db)
                }
            }
        }
    }
}
