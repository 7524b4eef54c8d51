import Batch
import Foundation
import Ledger

/// Where a PostgreSQL ledger is: `postgres://USER@HOST:PORT/DB[?schema=NAME&sslmode=require&timeout=SECONDS]`.
///
/// The URL never carries a password: one written into it is refused (and the URL is then
/// never printed), so that a command line, a shell history or a process listing cannot leak it.
/// The password comes from `PGPASSWORD`, else from a password file (mode 0600 or stricter);
/// `description` prints the URL without any secret.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// The PostgreSQL schema holding the ledger's tables (default `omsync`).
    public var schema: String
    /// TLS: always required when the host is not loopback (`HostPolicy.isLoopback`: `localhost`,
    /// a literal 127.0.0.0/8 address or `::1`; never a name such as `127.db.example.com`);
    /// `sslmode=require` asks for it on loopback too, `sslmode=disable` is refused for a remote host.
    public var requireTLS: Bool
    /// How long one statement may take, in seconds (default 30): the server cancels a statement
    /// that runs longer or waits longer for a lock, and ends a transaction left idle for twice
    /// as long; omsync itself gives up on a call the server has not answered in twice this time
    /// (a server or network that went silent), so a run never hangs on its ledger.
    public var timeout: Int
    /// The default `timeout`.
    public static let defaultTimeout = 30

    /// Whether `text` names a PostgreSQL ledger rather than a SQLite file.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses the URL; every error says what is wrong without echoing the URL's secret parts.
    public init(url text: String) throws(LedgerError) {
        let shown = "postgres://…"
        guard Self.isPostgresURL(text), let parts = URLComponents(string: text) else {
            throw .unavailable(path: shown, reason: "not a postgres://USER@HOST:PORT/DB URL")
        }
        if parts.password != nil {
            throw .unavailable(path: shown, reason: "the URL holds a password; remove it from the URL (which is not shown here) and give it in PGPASSWORD or a password file (--ledger-password-file), so it never appears on a command line")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw .unavailable(path: shown, reason: "the URL names no user: write postgres://USER@HOST:PORT/DB")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw .unavailable(path: shown, reason: "the URL names no host: write postgres://USER@HOST:PORT/DB")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .unavailable(path: shown, reason: "the URL names no database: write postgres://USER@HOST:PORT/DB")
        }
        self.user = user
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = parts.port ?? 5432
        self.database = database
        self.schema = "omsync"
        self.requireTLS = !HostPolicy.isLoopback(self.host)
        self.timeout = Self.defaultTimeout
        for item in parts.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("schema", let value):
                guard Self.isValidSchema(value) else {
                    throw .unavailable(path: shown, reason: "schema '\(value)' is not a plain lowercase name (a-z, 0-9, _; at most 63)")
                }
                schema = value
            case ("sslmode", "require"), ("sslmode", "verify-full"):
                requireTLS = true
            case ("sslmode", "disable"):
                guard HostPolicy.isLoopback(self.host) else {
                    throw .unavailable(path: "\(self)", reason: "sslmode=disable is refused for a host that is not loopback: the ledger holds order data and travels over TLS")
                }
                requireTLS = false
            case ("sslmode", let value):
                throw .unavailable(path: "\(self)", reason: "sslmode '\(value)' is not one of require, verify-full, disable")
            case ("timeout", let value):
                guard let seconds = Int(value), (1...3600).contains(seconds) else {
                    throw .unavailable(path: "\(self)", reason: "timeout '\(value)' is not a whole number of seconds from 1 to 3600")
                }
                timeout = seconds
            case (let name, _):
                throw .unavailable(path: "\(self)", reason: "unknown URL parameter '\(name)' (known: schema, sslmode, timeout)")
            }
        }
    }

    /// The URL without any secret: `postgres://omsync@db.example:5432/ledger?schema=omsync`.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var parameters: [String] = []
        if schema != "omsync" { parameters.append("schema=\(schema)") }
        if timeout != Self.defaultTimeout { parameters.append("timeout=\(timeout)") }
        return "postgres://\(user)@\(shownHost):\(port)/\(database)" + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
    }

    static func isValidSchema(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63,
              ("a"..."z").contains(first) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The password: `PGPASSWORD`, else the first line of `passwordFile` (which must not be
    /// readable by group or others), else none (trust or peer authentication).
    public static func password(environment: [String: String], passwordFile: String?) throws(LedgerError) -> String? {
        if let value = environment["PGPASSWORD"], !value.isEmpty { return value }
        guard let path = passwordFile, !path.isEmpty else { return nil }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue else {
            throw .unavailable(path: path, reason: "the password file cannot be read")
        }
        guard mode & 0o077 == 0 else {
            throw .unavailable(path: path, reason: "the password file is readable by others (mode \(String(mode, radix: 8))); run chmod 600 on it")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unavailable(path: path, reason: "the password file cannot be read as UTF-8 text")
        }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return line.isEmpty ? nil : line
    }
}
