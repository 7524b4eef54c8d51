import Foundation
import GRDB

/// Rows to and from SQL (dates as seconds since 1970; lists and counts as JSON text).
extension SQLiteLedger {
    static func save(_ r: OrderRecord, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO orders (source_id, source_number, state, guid, unleashed_order_number, payload_hash,
              unleashed_status, unleashed_modified_on, pending_guid, pending_hash, pending_changes, superseded_guids,
              attempts, last_action, last_error, run_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.sourceID, r.sourceNumber, r.state.rawValue, r.guid, r.unleashedOrderNumber, r.payloadHash,
                             r.unleashedStatus, r.unleashedModifiedOn, r.pendingGuid, r.pendingHash, r.pendingChanges,
                             json(r.supersededGuids), r.attempts, r.lastAction, r.lastError, r.runID,
                             r.createdAt.timeIntervalSince1970, r.updatedAt.timeIntervalSince1970])
    }

    static func order(_ row: Row) -> OrderRecord {
        OrderRecord(sourceID: row["source_id"], sourceNumber: row["source_number"],
                    state: OrderSyncState(rawValue: row["state"]) ?? .rejected, guid: row["guid"],
                    unleashedOrderNumber: row["unleashed_order_number"], payloadHash: row["payload_hash"],
                    unleashedStatus: row["unleashed_status"], unleashedModifiedOn: row["unleashed_modified_on"],
                    pendingGuid: row["pending_guid"], pendingHash: row["pending_hash"], pendingChanges: row["pending_changes"],
                    supersededGuids: decode(row["superseded_guids"]) ?? [], attempts: row["attempts"],
                    lastAction: row["last_action"], lastError: row["last_error"], runID: row["run_id"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]), updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    static func save(_ p: PushedPayload, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO pushed_payloads (source_id, hash, json, recorded_at) VALUES (?, ?, ?, ?)",
                       arguments: [p.sourceID, p.hash, p.json, p.recordedAt.timeIntervalSince1970])
    }

    static func prunePayloads(sourceID: String, keeping hash: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM pushed_payloads WHERE source_id = ? AND hash != ?", arguments: [sourceID, hash])
    }

    static func payload(_ row: Row) -> PushedPayload {
        PushedPayload(sourceID: row["source_id"], hash: row["hash"], json: row["json"], recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
    }

    static func save(_ m: CustomerMapping, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO customer_mappings (customer_id, customer_name, customer_code, unleashed_guid, origin, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [m.customerID, m.customerName, m.customerCode, m.unleashedGuid, m.origin.rawValue, m.updatedAt.timeIntervalSince1970])
    }

    static func mapping(_ row: Row) -> CustomerMapping {
        CustomerMapping(customerID: row["customer_id"], customerName: row["customer_name"], customerCode: row["customer_code"],
                        unleashedGuid: row["unleashed_guid"], origin: MappingOrigin(rawValue: row["origin"]) ?? .property,
                        updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    static func save(_ p: CreatedProduct, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO created_products (product_code, guid, run_id, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [p.productCode, p.guid, p.runID, p.createdAt.timeIntervalSince1970])
    }

    static func runArguments(_ run: ImportRun) -> StatementArguments {
        [json(run.batchPaths), run.batchHash, run.state.rawValue, run.checkpoint, run.total, json(run.counts), run.calls,
         run.pid, run.host, run.startedAt.timeIntervalSince1970, run.finishedAt?.timeIntervalSince1970, run.message]
    }

    static func save(_ run: ImportRun, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE import_runs SET batch_paths = ?, batch_hash = ?, state = ?, checkpoint = ?, total = ?, counts = ?, calls = ?,
              pid = ?, host = ?, started_at = ?, finished_at = ?, message = ? WHERE id = ?
            """, arguments: runArguments(run) + [run.id])
    }

    static func run(_ row: Row) -> ImportRun {
        ImportRun(id: row["id"], batchPaths: decode(row["batch_paths"]) ?? [], batchHash: row["batch_hash"],
                  state: RunState(rawValue: row["state"]) ?? .interrupted, checkpoint: row["checkpoint"], total: row["total"],
                  counts: decode(row["counts"]) ?? [:], calls: row["calls"], pid: row["pid"], host: row["host"],
                  startedAt: Date(timeIntervalSince1970: row["started_at"]),
                  finishedAt: (row["finished_at"] as Double?).map { Date(timeIntervalSince1970: $0) }, message: row["message"])
    }

    static func add(month: String, counts: [String: Int], _ db: Database) throws {
        for (endpoint, count) in counts {
            try db.execute(sql: """
                INSERT INTO api_calls (month, endpoint, count) VALUES (?, ?, ?)
                ON CONFLICT(month, endpoint) DO UPDATE SET count = count + excluded.count
                """, arguments: [month, endpoint, count])
        }
    }

    static func append(_ e: LogEntry, _ db: Database) throws -> LogEntry {
        try db.execute(sql: """
            INSERT INTO integration_log (time, run_id, source_id, order_number, action, outcome, http_status, message, guid)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [e.time.timeIntervalSince1970, e.runID, e.sourceID, e.orderNumber, e.action, e.outcome,
                             e.httpStatus, e.message, e.guid])
        var saved = e
        saved.id = db.lastInsertedRowID
        return saved
    }

    static func log(_ row: Row) -> LogEntry {
        LogEntry(id: row["id"], time: Date(timeIntervalSince1970: row["time"]), runID: row["run_id"], sourceID: row["source_id"],
                 orderNumber: row["order_number"], action: row["action"], outcome: row["outcome"], httpStatus: row["http_status"],
                 message: row["message"], guid: row["guid"])
    }

    static func json(_ value: some Encodable) -> String { LedgerColumnText.json(value) }

    static func decode<T: Decodable>(_ text: String?) -> T? { LedgerColumnText.decode(text) }
}
