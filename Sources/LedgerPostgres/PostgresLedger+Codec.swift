import Foundation
import Ledger
import PostgresNIO
import Synchronization

/// Rows to and from SQL, by the shared table descriptors (`LedgerTables`), in the same
/// encodings as the SQLite ledger. Every table here has an `account` column first in its key.
extension PostgresLedger {
    /// Each table's statements, built once per process (by kind and table name).
    private static let statements = Mutex<[String: String]>([:])

    /// The statement `kind` of `table`, built by `make` the first time.
    static func statement<R>(_ kind: String, _ table: LedgerTable<R>, _ make: () -> String) -> String {
        let key = kind + " " + table.name
        if let known = statements.withLock({ $0[key] }) { return known }
        let sql = make()
        statements.withLock { $0[key] = sql }
        return sql
    }

    /// Inserts the row, or replaces the one with `record`'s key.
    static func save<R>(_ table: LedgerTable<R>, _ record: R, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        let sql = statement("save", table) {
            let key = (["account"] + table.key).joined(separator: ", ")
            let set = table.valueColumns.map { "\($0.name) = excluded.\($0.name)" }.joined(separator: ", ")
            return "INSERT INTO \(table.name) \(insertList(table.columns)) ON CONFLICT (\(key)) DO UPDATE SET \(set)"
        }
        try await execute(db, logger, sql, account: account, table.columns, record)
    }

    /// Inserts `record` as a new row; without `keepingGenerated` the server assigns the
    /// generated key, which is returned.
    @discardableResult
    static func insert<R>(_ table: LedgerTable<R>, _ record: R, keepingGenerated: Bool = false, account: String,
                          _ db: PostgresConnection, _ logger: Logger) async throws -> Int64? {
        let columns = table.insertColumns(keepingGenerated: keepingGenerated)
        let sql = statement(keepingGenerated ? "insert-keeping" : "insert", table) {
            let returning = keepingGenerated ? nil : table.generated
            return "INSERT INTO \(table.name) \(insertList(columns))" + (returning.map { " RETURNING \($0)" } ?? "")
        }
        let rows = try await execute(db, logger, sql, account: account, columns, record)
        return try rows.first?.decode(Int64.self)
    }

    /// Changes the row with `record`'s key (nothing when there is none).
    static func update<R>(_ table: LedgerTable<R>, _ record: R, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        let (values, keyColumns) = (table.valueColumns, table.keyColumns)
        let sql = statement("update", table) {
            let set = values.enumerated().map { "\($1.name) = $\($0 + 2)" }.joined(separator: ", ")
            let key = keyColumns.enumerated().map { "\($1.name) = $\($0 + values.count + 2)" }.joined(separator: " AND ")
            return "UPDATE \(table.name) SET \(set) WHERE account = $1 AND \(key)"
        }
        try await execute(db, logger, sql, account: account, values + keyColumns, record)
    }

    /// `(account, a, b) VALUES ($1, $2, $3)`.
    static func insertList<R>(_ columns: [LedgerTable<R>.Column]) -> String {
        let names = (["account"] + columns.map(\.name)).joined(separator: ", ")
        return "(\(names)) VALUES (\((1...columns.count + 1).map { "$\($0)" }.joined(separator: ", ")))"
    }

    /// Runs `sql` with `$1` = the account and the next parameters `columns`' values of `record`;
    /// returns its rows, read to the end (an error the server sends after them arrives with them).
    @discardableResult
    static func execute<R>(_ db: PostgresConnection, _ logger: Logger, _ sql: String, account: String,
                           _ columns: [LedgerTable<R>.Column], _ record: R) async throws -> [PostgresRow] {
        var binds = PostgresBindings(capacity: columns.count + 1)
        binds.append(account)
        for column in columns {
            switch column.encode(record) {
            case .null: binds.appendNull()
            case .integer(let v): binds.append(v)
            case .real(let v): binds.append(v)
            case .text(let v): binds.append(v)
            case .blob(let v): try binds.append(v)
            }
        }
        return try await db.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
    }

    /// The record a row of `table` holds (each column decoded when the table's decoder asks).
    static func decode<R>(_ table: LedgerTable<R>, _ row: PostgresRow) throws -> R {
        let cells = row.makeRandomAccess()
        return try table.decode(LedgerStoredRow(table: table.name) { name in
            guard cells.contains(name) else { return nil }
            let cell = cells[name]
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bytea: return .blob(try cell.decode(Data.self))
            default: return .text(try cell.decode(String.self))
            }
        })
    }

    static func prunePayloads(sourceID: String, keeping hash: String, account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.query("""
            DELETE FROM pushed_payloads WHERE account = \(account) AND source_id = \(sourceID) AND hash != \(hash)
            """, logger: logger)
    }

    static func addCalls(month: String, counts: [String: Int], account: String, _ db: PostgresConnection, _ logger: Logger) async throws {
        for (endpoint, count) in counts.sorted(by: { $0.key < $1.key }) {
            try await db.query("""
                INSERT INTO api_calls (account, month, endpoint, count) VALUES (\(account), \(month), \(endpoint), \(count))
                ON CONFLICT (account, month, endpoint) DO UPDATE SET count = api_calls.count + excluded.count
                """, logger: logger)
        }
    }
}
