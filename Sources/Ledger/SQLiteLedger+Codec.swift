import Foundation
import GRDB

/// Rows to and from SQL, by the shared table descriptors (`LedgerTables`): the SQL of each
/// insert, upsert and update is built from a table's columns, and rows decode through it.
extension SQLiteLedger {
    /// Inserts or replaces the row with `record`'s key.
    static func save<R>(_ table: LedgerTable<R>, _ record: R, _ db: Database) throws {
        try execute(db, table.sqlite.save, table.columns, record)
    }

    /// Inserts `record` as a new row; without `keepingGenerated` the database assigns the
    /// generated key, which is returned.
    @discardableResult
    static func insert<R>(_ table: LedgerTable<R>, _ record: R, keepingGenerated: Bool = false, _ db: Database) throws -> Int64 {
        if keepingGenerated {
            try execute(db, table.sqlite.insertKeeping, table.columns, record)
        } else {
            try execute(db, table.sqlite.insertNew, table.newRowColumns, record)
        }
        return db.lastInsertedRowID
    }

    /// Changes the row with `record`'s key (nothing when there is none).
    static func update<R>(_ table: LedgerTable<R>, _ record: R, _ db: Database) throws {
        try execute(db, table.sqlite.update, table.valueColumns + table.keyColumns, record)
    }

    /// Runs `sql` (a cached statement: the same table's writes are prepared once per connection)
    /// with `columns`' values of `record`.
    static func execute<R>(_ db: Database, _ sql: String, _ columns: [LedgerTable<R>.Column], _ record: R) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.execute(arguments: StatementArguments(columns.map { databaseValue($0.encode(record)) }))
    }

    static func databaseValue(_ value: LedgerValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let v): return v.databaseValue
        case .real(let v): return v.databaseValue
        case .text(let v): return v.databaseValue
        case .blob(let v): return v.databaseValue
        }
    }

    /// The record a row of `table` holds.
    static func decode<R>(_ table: LedgerTable<R>, _ row: Row) throws -> R {
        var values: [String: LedgerValue] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: values[column] = .null
            case .int64(let v): values[column] = .integer(v)
            case .double(let v): values[column] = .real(v)
            case .string(let v): values[column] = .text(v)
            case .blob(let v): values[column] = .blob(v)
            }
        }
        return try table.decode(LedgerStoredRow(table: table.name, values: values))
    }

    /// Every row of `sql`, decoded as `table`'s records.
    static func fetchAll<R>(_ table: LedgerTable<R>, _ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [R] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { try decode(table, $0) }
    }

    /// The first row of `sql`, decoded.
    static func fetchOne<R>(_ table: LedgerTable<R>, _ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> R? {
        try Row.fetchOne(db, sql: sql, arguments: arguments).map { try decode(table, $0) }
    }

    static func prunePayloads(sourceID: String, keeping hash: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM pushed_payloads WHERE source_id = ? AND hash != ?", arguments: [sourceID, hash])
    }

    static func add(month: String, counts: [String: Int], _ db: Database) throws {
        for (endpoint, count) in counts {
            try db.execute(sql: """
                INSERT INTO api_calls (month, endpoint, count) VALUES (?, ?, ?)
                ON CONFLICT(month, endpoint) DO UPDATE SET count = count + excluded.count
                """, arguments: [month, endpoint, count])
        }
    }
}
