import PostgresNIO

/// The PostgreSQL ledger's schema, as named migrations (the same rule as the SQLite ledger's:
/// a migration that has shipped is never edited; a change is a new one appended below).
///
/// Every table has an `account` column and every key starts with it: one database holds the
/// ledgers of many accounts. Run and log ids come from one sequence each but are keyed per
/// account, so ledgers moved in from SQLite (each counting from 1) keep their ids. Times are seconds since 1970 (`double precision`, as exact as the
/// SQLite ledger's; NaN and infinities refused, as SQLite refuses them as NULL); lists and counts are JSON text, as in SQLite, so rows move between the two
/// backends unchanged.
enum PostgresMigrations {
    /// The key of the advisory lock that serialises migrations ("OMSY", 0).
    static let lockNamespace: Int32 = 0x4F4D_5359

    /// Name and SQL of each migration, in order.
    static let all: [(name: String, sql: String)] = [
        ("v1-initial", """
            CREATE TABLE accounts (
                id serial PRIMARY KEY, name text NOT NULL UNIQUE, created_at double precision NOT NULL);
            CREATE TABLE orders (
                account text NOT NULL, source_id text NOT NULL, source_number text, state text NOT NULL, guid text,
                unleashed_order_number text, payload_hash text, unleashed_status text, unleashed_modified_on bigint,
                pending_guid text, pending_hash text, pending_changes bytea, superseded_guids text NOT NULL DEFAULT '[]',
                attempts bigint NOT NULL DEFAULT 0, last_action text, last_error text, run_id bigint,
                created_at double precision NOT NULL CHECK (created_at > '-Infinity' AND created_at < 'Infinity'), updated_at double precision NOT NULL CHECK (updated_at > '-Infinity' AND updated_at < 'Infinity'),
                PRIMARY KEY (account, source_id));
            CREATE INDEX orders_by_number ON orders (account, source_number, updated_at);
            CREATE INDEX orders_by_state ON orders (account, state);
            CREATE TABLE customer_mappings (
                account text NOT NULL, customer_id text NOT NULL, customer_name text, customer_code text NOT NULL,
                unleashed_guid text, origin text NOT NULL, updated_at double precision NOT NULL CHECK (updated_at > '-Infinity' AND updated_at < 'Infinity'),
                PRIMARY KEY (account, customer_id));
            CREATE TABLE created_products (
                account text NOT NULL, product_code text NOT NULL, guid text NOT NULL, run_id bigint,
                created_at double precision NOT NULL, PRIMARY KEY (account, product_code));
            CREATE TABLE reference_data (
                account text NOT NULL, kind text NOT NULL, items bytea NOT NULL, fetched_at double precision NOT NULL,
                PRIMARY KEY (account, kind));
            CREATE TABLE import_runs (
                id bigserial NOT NULL, account text NOT NULL, batch_paths text NOT NULL, batch_hash text NOT NULL,
                state text NOT NULL, checkpoint bigint NOT NULL, total bigint NOT NULL, counts text NOT NULL,
                calls bigint NOT NULL, pid bigint NOT NULL, host text NOT NULL, started_at double precision NOT NULL,
                finished_at double precision, message text, PRIMARY KEY (account, id));
            CREATE INDEX runs_by_hash ON import_runs (account, batch_hash, id);
            CREATE TABLE api_calls (
                account text NOT NULL, month text NOT NULL, endpoint text NOT NULL, count bigint NOT NULL,
                PRIMARY KEY (account, month, endpoint));
            CREATE TABLE integration_log (
                id bigserial NOT NULL, account text NOT NULL, time double precision NOT NULL CHECK (time > '-Infinity' AND time < 'Infinity'), run_id bigint,
                source_id text, order_number text, action text NOT NULL, outcome text NOT NULL, http_status bigint,
                message text, guid text, PRIMARY KEY (account, id));
            CREATE INDEX log_by_number ON integration_log (account, order_number);
            CREATE INDEX log_by_source ON integration_log (account, source_id);
            CREATE INDEX log_by_time ON integration_log (account, time);
            CREATE INDEX log_by_run ON integration_log (account, run_id);
            CREATE TABLE import_locks (
                account text PRIMARY KEY, pid bigint NOT NULL, host text NOT NULL, started_at double precision NOT NULL,
                heartbeat_at double precision NOT NULL, run_id bigint, backend_pid bigint NOT NULL);
            """),
        // The payloads sent, for the field-by-field diff of `omsync serve` (issue 9).
        ("v2-pushed-payloads", """
            CREATE TABLE pushed_payloads (
                account text NOT NULL, source_id text NOT NULL, hash text NOT NULL, json text NOT NULL,
                recorded_at double precision NOT NULL CHECK (recorded_at > '-Infinity' AND recorded_at < 'Infinity'),
                PRIMARY KEY (account, source_id, hash));
            """),
        // The order's version (Ordermentum `updatedAt`, ms) last pushed and newest seen (issue 20).
        ("v3-order-versions", """
            ALTER TABLE orders ADD COLUMN pushed_version bigint;
            ALTER TABLE orders ADD COLUMN seen_version bigint;
            """),
        // (No v4 here: SQLite's v4 records a file's account, which PostgreSQL keeps in every row.)
        // The heartbeat of `omsync watch` (issue 20): one row per account and watched directory.
        ("v5-watch-status", """
            CREATE TABLE watch_status (
                account text NOT NULL, directory text NOT NULL, pid bigint NOT NULL, host text NOT NULL,
                started_at double precision NOT NULL, last_cycle_at double precision NOT NULL,
                last_outcome text NOT NULL, files_in_last_cycle bigint NOT NULL,
                PRIMARY KEY (account, directory));
            """),
    ]

    /// Brings the schema up to date in one transaction (serialised between processes by a
    /// transaction advisory lock); refuses a schema with migrations this binary does not know,
    /// or a schema holding tables that are not an omsync ledger.
    static func migrate(_ connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws {
        let schema = location.schema
        let db = connection
        try await db.query("BEGIN", logger: logger)
        do {
            // Migrating may wait for other machines' migrations and, some day, rebuild a big
            // table: it is not held to the ledger's per-statement timeout (`?timeout=`), only
            // to ten minutes.
            try await db.query("SET LOCAL statement_timeout = '10min'", logger: logger)
            try await db.query("SET LOCAL lock_timeout = '10min'", logger: logger)
            // Its rows read: an error after the row description (a timeout) arrives with them.
            _ = try await db.query("SELECT pg_advisory_xact_lock(\(lockNamespace), 0)", logger: logger).collect()
            var tables: Set<String> = []
            for try await name in try await db.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema)", logger: logger).decode(String.self) {
                tables.insert(name)
            }
            if !tables.isEmpty, !tables.contains("omsync_migrations") {
                throw LedgerMigrationProblem.foreign(tables: tables.sorted())
            }
            try await db.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            try await db.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(schema)"), logger: logger)
            try await db.query("CREATE TABLE IF NOT EXISTS omsync_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", logger: logger)
            var applied: [String] = []
            for try await name in try await db.query("SELECT name FROM omsync_migrations", logger: logger).decode(String.self) {
                applied.append(name)
            }
            let known = Set(all.map(\.name))
            let unknown = applied.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty { throw LedgerMigrationProblem.newer(unknown: unknown) }
            for migration in all where !applied.contains(migration.name) {
                // One statement per query: the extended protocol takes no multi-statement strings.
                for statement in migration.sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    try await db.query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
                }
                try await db.query("INSERT INTO omsync_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
            try await db.query("COMMIT", logger: logger)
        } catch {
            _ = try? await db.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}

/// Why migrating refused a schema.
enum LedgerMigrationProblem: Error {
    case foreign(tables: [String])
    case newer(unknown: [String])
}
