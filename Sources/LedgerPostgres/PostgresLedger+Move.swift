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
                case .order(let r): try await Self.saveOrder(r, account: account, db, logger)
                case .customerMapping(let m): try await Self.saveMapping(m, account: account, db, logger)
                case .createdProduct(let p): try await Self.saveProduct(p, account: account, db, logger)
                case .reference(let r):
                    try await db.query("""
                        INSERT INTO reference_data (account, kind, items, fetched_at) VALUES (\(account), \(r.kind), \(r.items), \(r.fetchedAt.timeIntervalSince1970))
                        ON CONFLICT (account, kind) DO UPDATE SET items = excluded.items, fetched_at = excluded.fetched_at
                        """, logger: logger)
                case .run(let run):
                    try await db.query("""
                        INSERT INTO import_runs (id, account, batch_paths, batch_hash, state, checkpoint, total, counts, calls, pid, host, started_at, finished_at, message)
                        VALUES (\(run.id), \(account), \(Self.json(run.batchPaths)), \(run.batchHash), \(run.state.rawValue), \(run.checkpoint), \(run.total),
                          \(Self.json(run.counts)), \(run.calls), \(Int64(run.pid)), \(run.host), \(run.startedAt.timeIntervalSince1970),
                          \(run.finishedAt?.timeIntervalSince1970), \(run.message))
                        """, logger: logger)
                case .calls(let month, let counts): try await Self.addCalls(month: month, counts: counts, account: account, db, logger)
                case .log(let e):
                    try await db.query("""
                        INSERT INTO integration_log (id, account, time, run_id, source_id, order_number, action, outcome, http_status, message, guid)
                        VALUES (\(e.id), \(account), \(e.time.timeIntervalSince1970), \(e.runID), \(e.sourceID), \(e.orderNumber), \(e.action), \(e.outcome),
                          \(e.httpStatus), \(e.message), \(e.guid))
                        """, logger: logger)
                case .payload(let p): try await Self.savePayload(p, account: account, db, logger)
                }
            }
            // A SELECT's rows are read: an error the server sends after the row description (a
            // timeout, say) arrives with them, and a SELECT left unread would lose it.
            _ = try await db.query("SELECT setval(pg_get_serial_sequence('import_runs', 'id'), GREATEST((SELECT max(id) FROM import_runs), 1))", logger: logger).collect()
            _ = try await db.query("SELECT setval(pg_get_serial_sequence('integration_log', 'id'), GREATEST((SELECT max(id) FROM integration_log), 1))", logger: logger).collect()
        }
    }
}
