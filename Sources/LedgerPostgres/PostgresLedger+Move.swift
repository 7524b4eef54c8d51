import Foundation
import Ledger
import PostgresNIO

extension PostgresLedger {
    // MARK: Moving a ledger

    public func referenceKinds() async throws -> [String] {
        try await all("SELECT kind FROM reference_data WHERE account = \(account) ORDER BY kind") { try $0.decode(String.self) }
    }

    public func callMonths() async throws -> [String] {
        try await all("SELECT DISTINCT month FROM api_calls WHERE account = \(account) ORDER BY month") { try $0.decode(String.self) }
    }

    /// Rows keep their ids (keyed per account, so another account's ids never clash); the id
    /// sequences are then moved past every id in use, so new runs and log rows never collide.
    public func importRows(_ rows: [LedgerRow]) async throws {
        let account = self.account
        let logger = self.logger
        let path = "\(location) (account \(account))"
        // One transaction of many statements: each is bounded by the statement timeout, the
        // whole by the deadline plus 10 ms a row.
        try await transaction(within: answerSeconds + rows.count / 100) { db in
            let used = try await db.query("""
                SELECT (SELECT count(*) FROM orders WHERE account = \(account)) + (SELECT count(*) FROM import_runs WHERE account = \(account))
                  + (SELECT count(*) FROM integration_log WHERE account = \(account))
                """, logger: logger).collect().first?.decode(Int64.self) ?? 0
            guard used == 0 else { throw LedgerError.notEmpty(path: path) }
            for row in rows {
                switch row {
                case .order(let r): try await Self.save(LedgerTables.orders, r, account: account, db, logger)
                case .customerMapping(let m): try await Self.save(LedgerTables.customerMappings, m, account: account, db, logger)
                case .createdProduct(let p): try await Self.save(LedgerTables.createdProducts, p, account: account, db, logger)
                case .reference(let r): try await Self.save(LedgerTables.referenceData, r, account: account, db, logger)
                case .run(let run): try await Self.insert(LedgerTables.runs, run, keepingGenerated: true, account: account, db, logger)
                case .calls(let month, let counts): try await Self.addCalls(month: month, counts: counts, account: account, db, logger)
                case .log(let e): try await Self.insert(LedgerTables.log, e, keepingGenerated: true, account: account, db, logger)
                case .payload(let p): try await Self.save(LedgerTables.payloads, p, account: account, db, logger)
                }
            }
            // A SELECT's rows are read: an error the server sends after the row description (a
            // timeout, say) arrives with them, and a SELECT left unread would lose it.
            _ = try await db.query("SELECT setval(pg_get_serial_sequence('import_runs', 'id'), GREATEST((SELECT max(id) FROM import_runs), 1))", logger: logger).collect()
            _ = try await db.query("SELECT setval(pg_get_serial_sequence('integration_log', 'id'), GREATEST((SELECT max(id) FROM integration_log), 1))", logger: logger).collect()
        }
    }
}
