import GRDB

/// The ledger's schema, as named migrations.
///
/// A migration that has shipped is NEVER edited: a change to the schema is a new migration
/// appended below, so that every ledger file ever written can be brought up to date, and a file
/// written by a newer omsync (with migrations this binary does not know) is refused instead of
/// being misread.
enum LedgerMigrations {
    /// `PRAGMA application_id` of an omsync ledger ("OMSY").
    static let applicationID: Int32 = 0x4F4D_5359

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE orders (
                    source_id TEXT PRIMARY KEY NOT NULL, source_number TEXT, state TEXT NOT NULL, guid TEXT,
                    unleashed_order_number TEXT, payload_hash TEXT, unleashed_status TEXT, unleashed_modified_on INTEGER,
                    pending_guid TEXT, pending_hash TEXT, pending_changes BLOB, superseded_guids TEXT NOT NULL DEFAULT '[]',
                    attempts INTEGER NOT NULL DEFAULT 0, last_action TEXT, last_error TEXT, run_id INTEGER,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL);
                CREATE INDEX orders_by_number ON orders(source_number, updated_at);
                CREATE INDEX orders_by_state ON orders(state);
                CREATE TABLE customer_mappings (
                    customer_id TEXT PRIMARY KEY NOT NULL, customer_name TEXT, customer_code TEXT NOT NULL,
                    unleashed_guid TEXT, origin TEXT NOT NULL, updated_at REAL NOT NULL);
                CREATE TABLE created_products (
                    product_code TEXT PRIMARY KEY NOT NULL, guid TEXT NOT NULL, run_id INTEGER, created_at REAL NOT NULL);
                CREATE TABLE reference_data (kind TEXT PRIMARY KEY NOT NULL, items BLOB NOT NULL, fetched_at REAL NOT NULL);
                CREATE TABLE import_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, batch_paths TEXT NOT NULL, batch_hash TEXT NOT NULL,
                    state TEXT NOT NULL, checkpoint INTEGER NOT NULL, total INTEGER NOT NULL, counts TEXT NOT NULL,
                    calls INTEGER NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL, started_at REAL NOT NULL,
                    finished_at REAL, message TEXT);
                CREATE INDEX runs_by_hash ON import_runs(batch_hash, id);
                CREATE TABLE api_calls (month TEXT NOT NULL, endpoint TEXT NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY (month, endpoint));
                CREATE TABLE integration_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, run_id INTEGER, source_id TEXT,
                    order_number TEXT, action TEXT NOT NULL, outcome TEXT NOT NULL, http_status INTEGER,
                    message TEXT, guid TEXT);
                CREATE INDEX log_by_number ON integration_log(order_number);
                CREATE INDEX log_by_source ON integration_log(source_id);
                CREATE INDEX log_by_time ON integration_log(time);
                CREATE INDEX log_by_run ON integration_log(run_id);
                CREATE TABLE import_lock (
                    id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL,
                    started_at REAL NOT NULL, heartbeat_at REAL NOT NULL, run_id INTEGER);
                """)
        }
        // The payloads sent, for the field-by-field diff of `omsync serve` (issue 9). Ledgers
        // written before it hold none: their orders show the hash comparison only.
        migrator.registerMigration("v2-pushed-payloads") { db in
            try db.execute(sql: """
                CREATE TABLE pushed_payloads (
                    source_id TEXT NOT NULL, hash TEXT NOT NULL, json TEXT NOT NULL, recorded_at REAL NOT NULL,
                    PRIMARY KEY (source_id, hash));
                """)
        }
        // The order's version (the rules' `order_version`, Ordermentum's `updatedAt`, in ms) of the
        // copy last pushed and of the newest copy seen (issue 20): an older copy never wins.
        migrator.registerMigration("v3-order-versions") { db in
            try db.execute(sql: """
                ALTER TABLE orders ADD COLUMN pushed_version INTEGER;
                ALTER TABLE orders ADD COLUMN seen_version INTEGER;
                """)
        }
        // The account the file belongs to (issue 21): one SQLite file given to two accounts mixed
        // their rows silently. Recorded by the first command that opens it for an account.
        migrator.registerMigration("v4-ledger-account") { db in
            try db.execute(sql: "CREATE TABLE ledger_account (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL)")
        }
        // The heartbeat of `omsync watch` (issue 20): one row per watched directory.
        migrator.registerMigration("v5-watch-status") { db in
            try db.execute(sql: """
                CREATE TABLE watch_status (
                    directory TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, started_at REAL NOT NULL,
                    last_cycle_at REAL NOT NULL, last_outcome TEXT NOT NULL, files_in_last_cycle INTEGER NOT NULL);
                """)
        }
        return migrator
    }
}
