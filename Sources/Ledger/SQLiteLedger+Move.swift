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
        try await pool.write { db in
            let used = try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM import_runs) + (SELECT count(*) FROM integration_log)
                """) ?? 0
            guard used == 0 else { throw LedgerError.notEmpty(path: path) }
            for row in rows {
                switch row {
                case .order(let r): try Self.save(r, db)
                case .customerMapping(let m): try Self.save(m, db)
                case .createdProduct(let p): try Self.save(p, db)
                case .reference(let r):
                    try db.execute(sql: "INSERT OR REPLACE INTO reference_data (kind, items, fetched_at) VALUES (?, ?, ?)",
                                   arguments: [r.kind, r.items, r.fetchedAt.timeIntervalSince1970])
                case .run(let run):
                    try db.execute(sql: """
                        INSERT INTO import_runs (batch_paths, batch_hash, state, checkpoint, total, counts, calls, pid, host, started_at, finished_at, message, id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: Self.runArguments(run) + [run.id])
                case .calls(let month, let counts): try Self.add(month: month, counts: counts, db)
                case .log(let e):
                    try db.execute(sql: """
                        INSERT INTO integration_log (id, time, run_id, source_id, order_number, action, outcome, http_status, message, guid)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [e.id, e.time.timeIntervalSince1970, e.runID, e.sourceID, e.orderNumber, e.action, e.outcome,
                                         e.httpStatus, e.message, e.guid])
                case .payload(let p): try Self.save(p, db)
                }
            }
        }
    }
}
