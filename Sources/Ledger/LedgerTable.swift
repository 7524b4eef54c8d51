import Foundation

/// A value as a ledger column holds it, whatever the backend: what a `LedgerTable` encodes a
/// record to and decodes it from. SQLite and PostgreSQL each map these five to their own types
/// (INTEGER/bigint, REAL/double precision, TEXT/text, BLOB/bytea).
public enum LedgerValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// `text`, or `null` for nil.
    public static func of(_ value: String?) -> LedgerValue { value.map(LedgerValue.text) ?? .null }
    /// `integer`, or `null` for nil.
    public static func of(_ value: Int64?) -> LedgerValue { value.map(LedgerValue.integer) ?? .null }
    /// `blob`, or `null` for nil.
    public static func of(_ value: Data?) -> LedgerValue { value.map(LedgerValue.blob) ?? .null }
    /// A time as seconds since 1970 (`real`), or `null` for nil.
    public static func of(_ value: Date?) -> LedgerValue { value.map { .real($0.timeIntervalSince1970) } ?? .null }
    /// A list or counts as sorted-key JSON text (`LedgerColumnText`).
    public static func json(_ value: some Encodable) -> LedgerValue { .text(LedgerColumnText.json(value)) }
}

/// One stored row read back, by column name: what a backend hands a `LedgerTable` to decode.
/// A column missing or of the wrong kind is `LedgerError.damaged`; a stored enum value this
/// binary does not know is `LedgerError.unknownValue`, never another value.
public struct LedgerStoredRow {
    /// The table the row is from (for errors).
    public let table: String
    /// A column's value by name (nil: no such column), read when asked for.
    let lookup: (String) throws -> LedgerValue?

    /// A row from its values by column name.
    public init(table: String, values: [String: LedgerValue]) {
        self.init(table: table) { values[$0] }
    }

    /// A row whose columns are read when asked for (`lookup` gives nil for a missing column).
    public init(table: String, lookup: @escaping (String) throws -> LedgerValue?) {
        self.table = table
        self.lookup = lookup
    }

    func value(_ column: String) throws(LedgerError) -> LedgerValue {
        let value: LedgerValue?
        do {
            value = try lookup(column)
        } catch {
            throw .damaged(path: table, reason: "the column \(column) could not be read (\(error)); the schema may have been changed by hand")
        }
        guard let value else { throw .damaged(path: table, reason: "the column \(column) is missing") }
        return value
    }

    func wrong(_ column: String, _ expected: String, _ value: LedgerValue) -> LedgerError {
        .damaged(path: table, reason: "the column \(column) holds \(value), not \(expected); the schema may have been changed by hand")
    }

    public func text(_ column: String) throws(LedgerError) -> String {
        guard let text = try optionalText(column) else { throw wrong(column, "text", .null) }
        return text
    }

    public func optionalText(_ column: String) throws(LedgerError) -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let text): return text
        case let other: throw wrong(column, "text", other)
        }
    }

    public func integer(_ column: String) throws(LedgerError) -> Int64 {
        guard let value = try optionalInteger(column) else { throw wrong(column, "an integer", .null) }
        return value
    }

    public func optionalInteger(_ column: String) throws(LedgerError) -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let value): return value
        case let other: throw wrong(column, "an integer", other)
        }
    }

    /// An integer column as `Int` (counts, attempts).
    public func int(_ column: String) throws(LedgerError) -> Int { Int(truncatingIfNeeded: try integer(column)) }

    /// A time column (seconds since 1970; an integral value stored as an integer is accepted).
    public func time(_ column: String) throws(LedgerError) -> Date {
        guard let time = try optionalTime(column) else { throw wrong(column, "a time", .null) }
        return time
    }

    public func optionalTime(_ column: String) throws(LedgerError) -> Date? {
        switch try value(column) {
        case .null: return nil
        case .real(let seconds): return Date(timeIntervalSince1970: seconds)
        case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case let other: throw wrong(column, "a time", other)
        }
    }

    public func blob(_ column: String) throws(LedgerError) -> Data {
        guard let data = try optionalBlob(column) else { throw wrong(column, "bytes", .null) }
        return data
    }

    public func optionalBlob(_ column: String) throws(LedgerError) -> Data? {
        switch try value(column) {
        case .null: return nil
        case .blob(let data): return data
        case .text(let text): return Data(text.utf8)
        case let other: throw wrong(column, "bytes", other)
        }
    }

    /// A JSON text column (`LedgerColumnText`); nil when empty or not decodable.
    public func json<T: Decodable>(_ column: String) throws(LedgerError) -> T? {
        LedgerColumnText.decode(try optionalText(column))
    }

    /// A stored enum value; one this binary does not know throws `LedgerError.unknownValue`.
    public func known<E: RawRepresentable<String>>(_ column: String, as type: E.Type = E.self) throws(LedgerError) -> E {
        let raw = try text(column)
        guard let value = E(rawValue: raw) else { throw .unknownValue(table: table, column: column, value: raw) }
        return value
    }
}

/// A ledger table, declared once for both backends: its name, key, and each column with how a
/// record's member is encoded to a `LedgerValue`, plus how a stored row decodes to a record.
/// SQLite (`SQLiteLedger`) and PostgreSQL (`PostgresLedger`, which adds its `account` column to
/// every table and key) build their inserts, upserts and updates from it, and decode with it.
public struct LedgerTable<Record: Sendable>: Sendable {
    /// One column: its name and the value a record stores in it.
    public struct Column: Sendable {
        public let name: String
        public let encode: @Sendable (Record) -> LedgerValue
    }

    public let name: String
    /// The columns that identify a row (PostgreSQL's `account` comes before them).
    public let key: [String]
    /// A key the database assigns (`id` of runs and log rows), when there is one: left out of an
    /// insert that asks for a new one.
    public let generated: String?
    public let columns: [Column]
    /// Every column but the generated key (a new row's insert).
    public let newRowColumns: [Column]
    /// The columns that are not part of the key (what an upsert or update changes).
    public let valueColumns: [Column]
    /// The key's columns.
    public let keyColumns: [Column]
    let decoder: @Sendable (LedgerStoredRow) throws(LedgerError) -> Record
    /// `SQLiteLedger`'s statements, built once from the columns: save (insert or replace), insert
    /// of a new row, insert keeping the generated key, update by key (values, then key).
    let sqlite: (save: String, insertNew: String, insertKeeping: String, update: String)

    init(_ name: String, key: [String], generated: String? = nil, columns: [(String, @Sendable (Record) -> LedgerValue)],
         decode: @escaping @Sendable (LedgerStoredRow) throws(LedgerError) -> Record) {
        self.name = name
        self.key = key
        self.generated = generated
        let columns = columns.map { Column(name: $0.0, encode: $0.1) }
        self.columns = columns
        newRowColumns = columns.filter { $0.name != generated }
        valueColumns = columns.filter { !key.contains($0.name) }
        keyColumns = key.compactMap { name in columns.first { $0.name == name } }
        decoder = decode
        func list(_ columns: [Column]) -> String {
            "(\(columns.map(\.name).joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        }
        sqlite = (save: "INSERT OR REPLACE INTO \(name) \(list(columns))", insertNew: "INSERT INTO \(name) \(list(newRowColumns))",
                  insertKeeping: "INSERT INTO \(name) \(list(columns))",
                  update: "UPDATE \(name) SET \(valueColumns.map { "\($0.name) = ?" }.joined(separator: ", ")) WHERE "
                      + key.map { "\($0) = ?" }.joined(separator: " AND "))
    }

    /// The columns an insert writes: every one, or all but the generated key.
    public func insertColumns(keepingGenerated: Bool) -> [Column] {
        keepingGenerated ? columns : newRowColumns
    }

    /// The record a stored row holds.
    public func decode(_ row: LedgerStoredRow) throws(LedgerError) -> Record { try decoder(row) }
}

/// Every table's columns, once. A change here is a change for both backends (and a new
/// column needs a migration in each: `LedgerMigrations`, `PostgresMigrations`).
public enum LedgerTables {
    public static let orders = LedgerTable<OrderRecord>("orders", key: ["source_id"], columns: [
        ("source_id", { .of($0.sourceID) }), ("source_number", { .of($0.sourceNumber) }),
        ("state", { .of($0.state.rawValue) }), ("guid", { .of($0.guid) }),
        ("unleashed_order_number", { .of($0.unleashedOrderNumber) }), ("payload_hash", { .of($0.payloadHash) }),
        ("unleashed_status", { .of($0.unleashedStatus) }), ("unleashed_modified_on", { .of($0.unleashedModifiedOn) }),
        ("pending_guid", { .of($0.pendingGuid) }), ("pending_hash", { .of($0.pendingHash) }),
        ("pending_changes", { .of($0.pendingChanges) }), ("superseded_guids", { .json($0.supersededGuids) }),
        ("attempts", { .integer(Int64($0.attempts)) }), ("last_action", { .of($0.lastAction) }),
        ("last_error", { .of($0.lastError) }), ("run_id", { .of($0.runID) }),
        ("created_at", { .of($0.createdAt) }), ("updated_at", { .of($0.updatedAt) }),
        ("pushed_version", { .of($0.pushedVersion) }), ("seen_version", { .of($0.seenVersion) }),
    ]) { r throws(LedgerError) in
        OrderRecord(sourceID: try r.text("source_id"), sourceNumber: try r.optionalText("source_number"),
                    state: try r.known("state"), guid: try r.optionalText("guid"),
                    unleashedOrderNumber: try r.optionalText("unleashed_order_number"), payloadHash: try r.optionalText("payload_hash"),
                    unleashedStatus: try r.optionalText("unleashed_status"), unleashedModifiedOn: try r.optionalInteger("unleashed_modified_on"),
                    pendingGuid: try r.optionalText("pending_guid"), pendingHash: try r.optionalText("pending_hash"),
                    pendingChanges: try r.optionalBlob("pending_changes"), supersededGuids: try r.json("superseded_guids") ?? [],
                    attempts: try r.int("attempts"), lastAction: try r.optionalText("last_action"),
                    lastError: try r.optionalText("last_error"), runID: try r.optionalInteger("run_id"),
                    createdAt: try r.time("created_at"), updatedAt: try r.time("updated_at"),
                    pushedVersion: try r.optionalInteger("pushed_version"), seenVersion: try r.optionalInteger("seen_version"))
    }

    public static let payloads = LedgerTable<PushedPayload>("pushed_payloads", key: ["source_id", "hash"], columns: [
        ("source_id", { .of($0.sourceID) }), ("hash", { .of($0.hash) }), ("json", { .of($0.json) }),
        ("recorded_at", { .of($0.recordedAt) }),
    ]) { r throws(LedgerError) in
        PushedPayload(sourceID: try r.text("source_id"), hash: try r.text("hash"), json: try r.text("json"), recordedAt: try r.time("recorded_at"))
    }

    public static let customerMappings = LedgerTable<CustomerMapping>("customer_mappings", key: ["customer_id"], columns: [
        ("customer_id", { .of($0.customerID) }), ("customer_name", { .of($0.customerName) }),
        ("customer_code", { .of($0.customerCode) }), ("unleashed_guid", { .of($0.unleashedGuid) }),
        ("origin", { .of($0.origin.rawValue) }), ("updated_at", { .of($0.updatedAt) }),
    ]) { r throws(LedgerError) in
        CustomerMapping(customerID: try r.text("customer_id"), customerName: try r.optionalText("customer_name"),
                        customerCode: try r.text("customer_code"), unleashedGuid: try r.optionalText("unleashed_guid"),
                        origin: try r.known("origin"), updatedAt: try r.time("updated_at"))
    }

    public static let createdProducts = LedgerTable<CreatedProduct>("created_products", key: ["product_code"], columns: [
        ("product_code", { .of($0.productCode) }), ("guid", { .of($0.guid) }), ("run_id", { .of($0.runID) }),
        ("created_at", { .of($0.createdAt) }),
    ]) { r throws(LedgerError) in
        CreatedProduct(productCode: try r.text("product_code"), guid: try r.text("guid"), runID: try r.optionalInteger("run_id"),
                       createdAt: try r.time("created_at"))
    }

    public static let referenceData = LedgerTable<CachedReference>("reference_data", key: ["kind"], columns: [
        ("kind", { .of($0.kind) }), ("items", { .of($0.items) }), ("fetched_at", { .of($0.fetchedAt) }),
    ]) { r throws(LedgerError) in
        CachedReference(kind: try r.text("kind"), items: try r.blob("items"), fetchedAt: try r.time("fetched_at"))
    }

    public static let runs = LedgerTable<ImportRun>("import_runs", key: ["id"], generated: "id", columns: [
        ("id", { .of($0.id) }), ("batch_paths", { .json($0.batchPaths) }), ("batch_hash", { .of($0.batchHash) }),
        ("state", { .of($0.state.rawValue) }), ("checkpoint", { .integer(Int64($0.checkpoint)) }),
        ("total", { .integer(Int64($0.total)) }), ("counts", { .json($0.counts) }), ("calls", { .integer(Int64($0.calls)) }),
        ("pid", { .integer(Int64($0.pid)) }), ("host", { .of($0.host) }), ("started_at", { .of($0.startedAt) }),
        ("finished_at", { .of($0.finishedAt) }), ("message", { .of($0.message) }),
    ]) { r throws(LedgerError) in
        ImportRun(id: try r.integer("id"), batchPaths: try r.json("batch_paths") ?? [], batchHash: try r.text("batch_hash"),
                  state: try r.known("state"), checkpoint: try r.int("checkpoint"), total: try r.int("total"),
                  counts: try r.json("counts") ?? [:], calls: try r.int("calls"),
                  pid: Int32(truncatingIfNeeded: try r.integer("pid")), host: try r.text("host"),
                  startedAt: try r.time("started_at"), finishedAt: try r.optionalTime("finished_at"), message: try r.optionalText("message"))
    }

    public static let watchStatus = LedgerTable<WatchStatus>("watch_status", key: ["directory"], columns: [
        ("directory", { .of($0.directory) }), ("pid", { .integer(Int64($0.pid)) }), ("host", { .of($0.host) }),
        ("started_at", { .of($0.startedAt) }), ("last_cycle_at", { .of($0.lastCycleAt) }),
        ("last_outcome", { .of($0.lastOutcome) }), ("files_in_last_cycle", { .integer(Int64($0.filesInLastCycle)) }),
    ]) { r throws(LedgerError) in
        WatchStatus(directory: try r.text("directory"), pid: Int32(truncatingIfNeeded: try r.integer("pid")), host: try r.text("host"),
                    startedAt: try r.time("started_at"), lastCycleAt: try r.time("last_cycle_at"),
                    lastOutcome: try r.text("last_outcome"), filesInLastCycle: try r.int("files_in_last_cycle"))
    }

    public static let log = LedgerTable<LogEntry>("integration_log", key: ["id"], generated: "id", columns: [
        ("id", { .of($0.id) }), ("time", { .of($0.time) }), ("run_id", { .of($0.runID) }),
        ("source_id", { .of($0.sourceID) }), ("order_number", { .of($0.orderNumber) }),
        ("action", { .of($0.action.rawValue) }), ("outcome", { .of($0.outcome.rawValue) }),
        ("http_status", { .of($0.httpStatus.map(Int64.init)) }), ("message", { .of($0.message) }), ("guid", { .of($0.guid) }),
    ]) { r throws(LedgerError) in
        LogEntry(id: try r.integer("id"), time: try r.time("time"), runID: try r.optionalInteger("run_id"),
                 sourceID: try r.optionalText("source_id"), orderNumber: try r.optionalText("order_number"),
                 action: try r.known("action"), outcome: try r.known("outcome"),
                 httpStatus: try r.optionalInteger("http_status").map { Int(truncatingIfNeeded: $0) },
                 message: try r.optionalText("message"), guid: try r.optionalText("guid"))
    }
}
