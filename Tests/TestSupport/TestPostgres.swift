import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The throwaway PostgreSQL cluster of a test run (`scripts/test` starts one and sets
/// `OMSYNC_TEST_POSTGRES_URL`; CI also sets `OMSYNC_REQUIRE_POSTGRES=1`).
public enum TestPostgres {
    /// `postgres://USER@127.0.0.1:PORT/DB`, or nil when no cluster was given.
    public static var url: String? {
        ProcessInfo.processInfo.environment["OMSYNC_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether PostgreSQL tests must run (a missing cluster is then a failure, never a skip).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["OMSYNC_REQUIRE_POSTGRES"] == "1" }

    /// Whether the PostgreSQL variants of the tests are included: a cluster was given, or one is required.
    public static var isEnabled: Bool { url != nil || isRequired }

    /// The URL, or an error that says how to get a cluster.
    public static func requireURL() throws -> String {
        guard let url else { throw Missing() }
        return url
    }

    /// A fresh schema name, so that each test has its own empty ledger in the shared cluster.
    public static func freshSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }

    /// The URL of a fresh, empty schema in the cluster.
    public static func freshURL() throws -> String {
        let base = try requireURL()
        return base + (base.contains("?") ? "&" : "?") + "schema=" + freshSchema()
    }

    /// `psql`, waited for on a thread of its own (an async test must not hold a thread of the
    /// cooperative pool while a child process runs).
    @discardableResult
    public static func query(_ sql: String) async throws -> String {
        try await OffPool.run { try psql(sql) }
    }

    /// Waits (up to 30 s) until the server process `pid` is gone: `pg_terminate_backend` only
    /// signals it, and on a loaded machine it may still hold its locks for a while.
    public static func waitUntilBackendIsGone(_ pid: String) async throws {
        var gone = false
        try await OffPool.poll(everyMilliseconds: 50, for: 30) {
            gone = try psql("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)") == "0"
            return gone
        }
        guard gone else { throw PSQLFailed(output: "server process \(pid) was still there after 30 s") }
    }

    /// A database of its own in the cluster, for a test that freezes its server processes
    /// (which no other test then shares). `drop()` when done.
    public struct Database: Sendable {
        public let name: String

        /// A new, empty database.
        public static func create() async throws -> Database {
            let database = Database(name: "d_" + freshSchema())
            try await query("CREATE DATABASE \(database.name)")
            return database
        }

        /// The cluster's URL naming this database, with `parameters` (e.g. `timeout=3`).
        public func url(_ parameters: String) throws -> String {
            let base = try requireURL().split(separator: "?").first.map(String.init) ?? ""
            return String(base[..<(base.lastIndex(of: "/") ?? base.endIndex)]) + "/\(name)?" + parameters
        }

        /// Refuses new connections and freezes (SIGSTOP) every server process of this database,
        /// as a stalled host or a partition leaves a server: no answer, no error. Returns the
        /// frozen processes, for `thaw`.
        public func freeze() async throws -> [Int32] {
            try await query("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
            let pids = try await query("SELECT pid FROM pg_stat_activity WHERE datname = '\(name)'")
                .split(separator: "\n").compactMap { Int32($0) }
            for pid in pids { kill(pid, SIGSTOP) }
            return pids
        }

        /// Lets the frozen processes go on and new connections in.
        public func thaw(_ pids: [Int32]) async throws {
            for pid in pids { kill(pid, SIGCONT) }
            try await query("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
        }

        /// Drops the database, its connections too.
        public func drop() async throws {
            try await query("DROP DATABASE \(name) WITH (FORCE)")
        }
    }

    /// Runs SQL with `psql` against the cluster (the URL without its `?schema=`); returns what it printed.
    @available(*, noasync, message: "use `await TestPostgres.query`: psql blocks the thread it runs on")
    @discardableResult
    public static func psql(_ sql: String) throws -> String {
        let base = try requireURL()
        let plain = base.split(separator: "?").first.map(String.init) ?? base
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [plain, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw PSQLFailed(output: text) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `psql` running `sql` and returns at once (for a session that must stay busy
    /// while the test goes on, e.g. holding a lock); the caller ends it.
    public static func startPsql(_ sql: String) throws -> Process {
        let base = try requireURL()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [base.split(separator: "?").first.map(String.init) ?? base, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `psql` exited non-zero.
    public struct PSQLFailed: Error, CustomStringConvertible {
        public var output: String
        public var description: String { "psql failed: \(output)" }
    }

    /// No cluster, though one is required.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "OMSYNC_TEST_POSTGRES_URL is not set: run the tests with scripts/test (which starts a throwaway cluster) or scripts/with-postgres swift test"
        }
    }
}
