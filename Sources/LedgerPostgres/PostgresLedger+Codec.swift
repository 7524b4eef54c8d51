import Foundation
import Ledger
import PostgresNIO

/// Rows to and from SQL, in the same encodings as the SQLite ledger (dates as seconds since
/// 1970, lists and counts as sorted-key JSON text).
extension PostgresLedger {
    static func saveOrder(_ r: OrderRecord, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.query("""
            INSERT INTO orders (account, source_id, source_number, state, guid, unleashed_order_number, payload_hash,
              unleashed_status, unleashed_modified_on, pending_guid, pending_hash, pending_changes, superseded_guids,
              attempts, last_action, last_error, run_id, created_at, updated_at)
            VALUES (\(account), \(r.sourceID), \(r.sourceNumber), \(r.state.rawValue), \(r.guid), \(r.unleashedOrderNumber),
              \(r.payloadHash), \(r.unleashedStatus), \(r.unleashedModifiedOn), \(r.pendingGuid), \(r.pendingHash),
              \(r.pendingChanges), \(json(r.supersededGuids)), \(r.attempts), \(r.lastAction), \(r.lastError), \(r.runID),
              \(r.createdAt.timeIntervalSince1970), \(r.updatedAt.timeIntervalSince1970))
            ON CONFLICT (account, source_id) DO UPDATE SET source_number = excluded.source_number, state = excluded.state,
              guid = excluded.guid, unleashed_order_number = excluded.unleashed_order_number, payload_hash = excluded.payload_hash,
              unleashed_status = excluded.unleashed_status, unleashed_modified_on = excluded.unleashed_modified_on,
              pending_guid = excluded.pending_guid, pending_hash = excluded.pending_hash, pending_changes = excluded.pending_changes,
              superseded_guids = excluded.superseded_guids, attempts = excluded.attempts, last_action = excluded.last_action,
              last_error = excluded.last_error, run_id = excluded.run_id, created_at = excluded.created_at, updated_at = excluded.updated_at
            """, logger: logger)
    }

    static func order(_ row: PostgresRow) throws -> OrderRecord {
        let r = row.makeRandomAccess()
        return OrderRecord(
            sourceID: try r["source_id"].decode(String.self), sourceNumber: try r["source_number"].decode(String?.self),
            state: OrderSyncState(rawValue: try r["state"].decode(String.self)) ?? .rejected, guid: try r["guid"].decode(String?.self),
            unleashedOrderNumber: try r["unleashed_order_number"].decode(String?.self), payloadHash: try r["payload_hash"].decode(String?.self),
            unleashedStatus: try r["unleashed_status"].decode(String?.self), unleashedModifiedOn: try r["unleashed_modified_on"].decode(Int64?.self),
            pendingGuid: try r["pending_guid"].decode(String?.self), pendingHash: try r["pending_hash"].decode(String?.self),
            pendingChanges: try r["pending_changes"].decode(Data?.self),
            supersededGuids: decode(try r["superseded_guids"].decode(String.self)) ?? [], attempts: try r["attempts"].decode(Int.self),
            lastAction: try r["last_action"].decode(String?.self), lastError: try r["last_error"].decode(String?.self),
            runID: try r["run_id"].decode(Int64?.self),
            createdAt: Date(timeIntervalSince1970: try r["created_at"].decode(Double.self)),
            updatedAt: Date(timeIntervalSince1970: try r["updated_at"].decode(Double.self)))
    }

    static func savePayload(_ p: PushedPayload, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.query("""
            INSERT INTO pushed_payloads (account, source_id, hash, json, recorded_at)
            VALUES (\(account), \(p.sourceID), \(p.hash), \(p.json), \(p.recordedAt.timeIntervalSince1970))
            ON CONFLICT (account, source_id, hash) DO UPDATE SET json = excluded.json, recorded_at = excluded.recorded_at
            """, logger: logger)
    }

    static func prunePayloads(sourceID: String, keeping hash: String, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.query("""
            DELETE FROM pushed_payloads WHERE account = \(account) AND source_id = \(sourceID) AND hash != \(hash)
            """, logger: logger)
    }

    static func payload(_ row: PostgresRow) throws -> PushedPayload {
        let r = row.makeRandomAccess()
        return PushedPayload(sourceID: try r["source_id"].decode(String.self), hash: try r["hash"].decode(String.self),
                             json: try r["json"].decode(String.self),
                             recordedAt: Date(timeIntervalSince1970: try r["recorded_at"].decode(Double.self)))
    }

    static func saveMapping(_ m: CustomerMapping, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.query("""
            INSERT INTO customer_mappings (account, customer_id, customer_name, customer_code, unleashed_guid, origin, updated_at)
            VALUES (\(account), \(m.customerID), \(m.customerName), \(m.customerCode), \(m.unleashedGuid), \(m.origin.rawValue),
              \(m.updatedAt.timeIntervalSince1970))
            ON CONFLICT (account, customer_id) DO UPDATE SET customer_name = excluded.customer_name, customer_code = excluded.customer_code,
              unleashed_guid = excluded.unleashed_guid, origin = excluded.origin, updated_at = excluded.updated_at
            """, logger: logger)
    }

    static func mapping(_ row: PostgresRow) throws -> CustomerMapping {
        let r = row.makeRandomAccess()
        return CustomerMapping(customerID: try r["customer_id"].decode(String.self), customerName: try r["customer_name"].decode(String?.self),
                               customerCode: try r["customer_code"].decode(String.self), unleashedGuid: try r["unleashed_guid"].decode(String?.self),
                               origin: MappingOrigin(rawValue: try r["origin"].decode(String.self)) ?? .property,
                               updatedAt: Date(timeIntervalSince1970: try r["updated_at"].decode(Double.self)))
    }

    static func saveProduct(_ p: CreatedProduct, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.query("""
            INSERT INTO created_products (account, product_code, guid, run_id, created_at)
            VALUES (\(account), \(p.productCode), \(p.guid), \(p.runID), \(p.createdAt.timeIntervalSince1970))
            ON CONFLICT (account, product_code) DO UPDATE SET guid = excluded.guid, run_id = excluded.run_id, created_at = excluded.created_at
            """, logger: logger)
    }

    static func saveRun(_ run: ImportRun, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.query("""
            UPDATE import_runs SET batch_paths = \(json(run.batchPaths)), batch_hash = \(run.batchHash), state = \(run.state.rawValue),
              checkpoint = \(run.checkpoint), total = \(run.total), counts = \(json(run.counts)), calls = \(run.calls),
              pid = \(Int64(run.pid)), host = \(run.host), started_at = \(run.startedAt.timeIntervalSince1970),
              finished_at = \(run.finishedAt?.timeIntervalSince1970), message = \(run.message)
            WHERE id = \(run.id) AND account = \(account)
            """, logger: logger)
    }

    static func run(_ row: PostgresRow) throws -> ImportRun {
        let r = row.makeRandomAccess()
        return ImportRun(id: try r["id"].decode(Int64.self), batchPaths: decode(try r["batch_paths"].decode(String.self)) ?? [],
                         batchHash: try r["batch_hash"].decode(String.self),
                         state: RunState(rawValue: try r["state"].decode(String.self)) ?? .interrupted,
                         checkpoint: try r["checkpoint"].decode(Int.self), total: try r["total"].decode(Int.self),
                         counts: decode(try r["counts"].decode(String.self)) ?? [:], calls: try r["calls"].decode(Int.self),
                         pid: Int32(truncatingIfNeeded: try r["pid"].decode(Int64.self)), host: try r["host"].decode(String.self),
                         startedAt: Date(timeIntervalSince1970: try r["started_at"].decode(Double.self)),
                         finishedAt: try r["finished_at"].decode(Double?.self).map { Date(timeIntervalSince1970: $0) },
                         message: try r["message"].decode(String?.self))
    }

    static func addCalls(month: String, counts: [String: Int], account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        for (endpoint, count) in counts.sorted(by: { $0.key < $1.key }) {
            try await db.query("""
                INSERT INTO api_calls (account, month, endpoint, count) VALUES (\(account), \(month), \(endpoint), \(count))
                ON CONFLICT (account, month, endpoint) DO UPDATE SET count = api_calls.count + excluded.count
                """, logger: logger)
        }
    }

    static func appendLog(_ e: LogEntry, account: String, _ db: PostgresConnection, _ logger: Logger) async throws -> LogEntry {
        var saved = e
        for try await id in try await db.query("""
            INSERT INTO integration_log (account, time, run_id, source_id, order_number, action, outcome, http_status, message, guid)
            VALUES (\(account), \(e.time.timeIntervalSince1970), \(e.runID), \(e.sourceID), \(e.orderNumber), \(e.action), \(e.outcome),
              \(e.httpStatus), \(e.message), \(e.guid))
            RETURNING id
            """, logger: logger).decode(Int64.self) {
            saved.id = id
        }
        return saved
    }

    static func log(_ row: PostgresRow) throws -> LogEntry {
        let r = row.makeRandomAccess()
        return LogEntry(id: try r["id"].decode(Int64.self), time: Date(timeIntervalSince1970: try r["time"].decode(Double.self)),
                        runID: try r["run_id"].decode(Int64?.self), sourceID: try r["source_id"].decode(String?.self),
                        orderNumber: try r["order_number"].decode(String?.self), action: try r["action"].decode(String.self),
                        outcome: try r["outcome"].decode(String.self), httpStatus: try r["http_status"].decode(Int?.self),
                        message: try r["message"].decode(String?.self), guid: try r["guid"].decode(String?.self))
    }

    static func json(_ value: some Encodable) -> String { LedgerColumnText.json(value) }

    static func decode<T: Decodable>(_ text: String?) -> T? { LedgerColumnText.decode(text) }
}
