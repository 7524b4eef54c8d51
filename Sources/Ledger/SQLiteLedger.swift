import Foundation
import GRDB
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ledger in one SQLite file (GRDB, WAL mode): the default backend.
///
/// Opening checks the file before anything is written: a file that is not an omsync ledger,
/// is damaged, or was written by a newer omsync is refused with a clear error and left as it
/// is. Two processes may share a file (WAL, a busy timeout); the import lock (the one row of
/// `import_lock`) says which one imports, and its holder's state writes are fenced by that row
/// (`checkFence`; the contract is in `Ledger`).
public final class SQLiteLedger: Ledger {
    let pool: DatabasePool
    /// The file.
    public let path: String
    /// The holder this instance took the import lock for, while it holds it.
    let held = Mutex<LockHolder?>(nil)
    /// Set when this instance held the lock and lost it (its heartbeat or the fence found another
    /// holder's row); cleared by the next acquire. While set, every state write is refused.
    let lockLost = Mutex<Bool>(false)

    /// Opens (or creates) the ledger at `path`, creating its folder when missing. With `account`,
    /// the file belongs to that account: the first open records it, and a file recorded for
    /// another account is refused (`LedgerError.otherAccount`), so two accounts never share rows.
    /// `readOnly` (commands that only read: `logs`, `customers list`, `ledger export`, `accounts`)
    /// opens an existing ledger without writing anything, so one on read-only media can be read.
    public init(path: String, account: String? = nil, readOnly: Bool = false) throws(LedgerError) {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !readOnly {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .unavailable(path: path, reason: "its folder cannot be created: \(error.localizedDescription)")
            }
        }
        try Self.checkExisting(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.readonly = readOnly
        if !readOnly { configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") } }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw Self.writeRefusal(error, path: path) ?? .unavailable(path: path, reason: "\(error)")
        } catch {
            throw .unavailable(path: path, reason: "\(error)")
        }
        if readOnly {
            try Self.checkReadable(pool, path: path, account: account)
            return
        }
        do {
            try pool.write { db in
                if try LedgerMigrations.migrator.hasBeenSuperseded(db) {
                    let known = Set(LedgerMigrations.migrator.migrations)
                    let applied = try LedgerMigrations.migrator.appliedIdentifiers(db)
                    throw LedgerError.newerSchema(path: path, unknownMigrations: applied.filter { !known.contains($0) }.sorted())
                }
            }
            try LedgerMigrations.migrator.migrate(pool)
            if let account {
                try pool.write { db in
                    if let owner = try String.fetchOne(db, sql: "SELECT name FROM ledger_account WHERE id = 1") {
                        guard owner == account else { throw LedgerError.otherAccount(path: path, owner: owner, asked: account) }
                    } else {
                        try db.execute(sql: "INSERT INTO ledger_account (id, name) VALUES (1, ?)", arguments: [account])
                    }
                }
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            // Read-only media, a full disk: the file refused a write, it is not damaged.
            throw Self.writeRefusal(error, path: path) ?? .damaged(path: path, reason: "\(error)")
        } catch {
            throw .damaged(path: path, reason: "\(error)")
        }
    }

    /// A ledger opened read-only: it must be up to date (nothing can be migrated) and the account's.
    static func checkReadable(_ pool: DatabasePool, path: String, account: String?) throws(LedgerError) {
        do {
            try pool.read { db in
                if try LedgerMigrations.migrator.hasBeenSuperseded(db) {
                    let known = Set(LedgerMigrations.migrator.migrations)
                    let applied = try LedgerMigrations.migrator.appliedIdentifiers(db)
                    throw LedgerError.newerSchema(path: path, unknownMigrations: applied.filter { !known.contains($0) }.sorted())
                }
                guard try LedgerMigrations.migrator.hasCompletedMigrations(db) else {
                    throw LedgerError.unavailable(path: path, reason: "it was written by an older omsync and cannot be brought up to date where it is "
                        + "(it is opened read-only); copy it, with its -wal file, to a writable folder and read it there")
                }
                if let account, let owner = try String.fetchOne(db, sql: "SELECT name FROM ledger_account WHERE id = 1"), owner != account {
                    throw LedgerError.otherAccount(path: path, owner: owner, asked: account)
                }
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .unavailable(path: path, reason: "it cannot be read: \(error)")
        }
    }

    /// Refuses, without writing, a file that is not a SQLite database, is damaged, or is
    /// another program's database.
    static func checkExisting(_ path: String) throws(LedgerError) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        if (attributes[.type] as? FileAttributeType) == .typeDirectory {
            throw .unavailable(path: path, reason: "it is a directory")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { return }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unavailable(path: path, reason: "it cannot be read")
        }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        try? handle.close()
        guard header.count >= 16, header[0..<16].elementsEqual(Array("SQLite format 3\u{0}".utf8)) else {
            throw .damaged(path: path, reason: "it is not a SQLite database")
        }
        // With a write-ahead log beside it, the file's header and size lag behind the log (pages
        // live in the log until a checkpoint): only SQLite, reading both, can tell (quick_check below).
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber
        if (wal?.intValue ?? 0) == 0, let problem = Self.truncation(header: header, size: size) {
            throw .damaged(path: path, reason: problem)
        }
        var configuration = Configuration()
        configuration.readonly = true
        // Another process (or connection) may be writing: wait for it rather than fail "locked".
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? ""
                guard check == "ok" else { throw LedgerError.damaged(path: path, reason: "the database is damaged (\(check))") }
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                if tables > 0, application != LedgerMigrations.applicationID {
                    throw LedgerError.damaged(path: path, reason: "it is another program's SQLite database, not an omsync ledger")
                }
            }
            try queue.close()
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .damaged(path: path, reason: "the database cannot be read (\(error))")
        }
    }

    /// Why a database file is shorter than its header says (cut off by a copy or a full disk),
    /// or nil. SQLite would read such a file as far as it goes, and then write over it.
    static func truncation(header: [UInt8], size: Int) -> String? {
        guard header.count >= 100 else { return "it is cut off inside its 100-byte header (\(size) bytes)" }
        let raw = Int(header[16]) << 8 | Int(header[17])
        let pageSize = raw == 1 ? 65_536 : raw
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else { return "its header names an impossible page size (\(raw))" }
        let field = { (at: Int) in header[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        if size % pageSize != 0 {
            return "it is \(size) bytes, not a whole number of its \(pageSize)-byte pages: the file was cut off (truncated)"
        }
        // The page count in the header is valid when the change counter matches "version-valid-for".
        let pages = field(28)
        if field(24) == field(92), pages > 0, size < pages * pageSize {
            return "it is \(size) bytes but its header says \(pages) pages of \(pageSize) bytes: the file was cut off (truncated)"
        }
        return nil
    }

    /// Every write of the ledger: a write transaction whose failure from the file itself (a full
    /// disk, read-only media, an I/O error) is a `LedgerError.cannotWrite` saying so, which stops
    /// an import at once (resumably) instead of failing order after order.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(updates)
        } catch let error as DatabaseError {
            throw Self.writeRefusal(error, path: path) ?? error
        }
    }

    /// What a refused write means, when the file refused it (nil: not the file's doing).
    static func writeRefusal(_ error: DatabaseError, path: String) -> LedgerError? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        switch error.resultCode {
        case .SQLITE_FULL:
            return .cannotWrite(path: path, reason: "the disk is full", advice: "Free space on the disk that holds \(folder)")
        case .SQLITE_READONLY:
            return .cannotWrite(path: path, reason: "the file or its folder is read-only (a ledger is written, with its -wal and -shm files beside it)",
                                advice: "Make \(folder) writable, or copy the ledger (with its -wal file) to a writable place and give --ledger; "
                                    + "`omsync logs`, `customers list` and `ledger export` read it where it is")
        case .SQLITE_IOERR, .SQLITE_CANTOPEN:
            return .cannotWrite(path: path, reason: "the disk refused the write (\(error.message ?? "I/O error"))",
                                advice: "Check the disk that holds \(folder) (space, permissions, the device)")
        default:
            return nil
        }
    }

    /// Copies everything in the write-ahead log into the database file and empties the log, so
    /// `ledger.sqlite` on its own holds the whole ledger (for a copy or a backup). Best effort: a
    /// reader holding the log open only delays it to the next run.
    public func checkpoint() async {
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    // MARK: Import lock

    public func acquireImportLock(_ holder: LockHolder, staleAfter: TimeInterval) async throws -> LockAcquisition {
        try await write { db in
            let now = Date()
            var takenOver: LockHolder?
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM import_lock WHERE id = 1") {
                let current = Self.holder(row)
                let same = current.pid == holder.pid && current.host == holder.host
                if !same {
                    let dead = current.host == holder.host && Self.isGone(pid: current.pid)
                    let stale = now.timeIntervalSince(current.heartbeatAt ?? current.startedAt) > staleAfter
                    guard dead || (current.host != holder.host && stale) else { throw LedgerError.locked(by: current) }
                    takenOver = current
                }
            }
            try db.execute(sql: "INSERT OR REPLACE INTO import_lock (id, pid, host, started_at, heartbeat_at, run_id) VALUES (1, ?, ?, ?, ?, ?)",
                           arguments: [holder.pid, holder.host, holder.startedAt.timeIntervalSince1970, now.timeIntervalSince1970, holder.runID])
            self.held.withLock { $0 = holder }
            self.lockLost.withLock { $0 = false }
            return LockAcquisition(takenOver: takenOver)
        }
    }

    public func heartbeat(_ holder: LockHolder) async throws {
        try await write { db in
            let current = try Row.fetchOne(db, sql: "SELECT * FROM import_lock WHERE id = 1").map(Self.holder)
            guard let current, current.pid == holder.pid, current.host == holder.host else {
                if self.held.withLock({ $0 }) != nil { self.loseLock() }
                throw LedgerError.lockLost(to: current)
            }
            try db.execute(sql: "UPDATE import_lock SET heartbeat_at = ? WHERE id = 1", arguments: [Date().timeIntervalSince1970])
        }
    }

    public func releaseImportLock(_ holder: LockHolder) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM import_lock WHERE id = 1 AND pid = ? AND host = ?", arguments: [holder.pid, holder.host])
        }
        held.withLock { current in
            if let held = current, held.pid == holder.pid, held.host == holder.host { current = nil }
        }
        // The run is over: leave a database file that holds everything on its own.
        await checkpoint()
    }

    public func importLockHolder() async throws -> LockHolder? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM import_lock WHERE id = 1").map(Self.holder) }
    }

    /// Whether process `pid` of this host is gone: no such process, or a zombie (it has exited
    /// and waits only for its parent to read its status, holding nothing). A zombie answers
    /// `kill(pid, 0)` like a live process, so its state is read from /proc where there is one.
    static func isGone(pid: Int32) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        // `pid (comm) S …`: the state follows the last ')' (the command name may hold one).
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Inside a write transaction: fails with `lockLost` when this instance held the lock and the
    /// lock row is no longer its holder's (taken over), or it lost the lock before.
    func checkFence(_ db: Database) throws {
        if lockLost.withLock({ $0 }) {
            throw LedgerError.lockLost(to: try Row.fetchOne(db, sql: "SELECT * FROM import_lock WHERE id = 1").map(Self.holder))
        }
        guard let holder = held.withLock({ $0 }) else { return }
        // Once per state write: a statement compiled once per connection.
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM import_lock WHERE id = 1")).map(Self.holder)
        guard let current, current.pid == holder.pid, current.host == holder.host else {
            loseLock()
            throw LedgerError.lockLost(to: current)
        }
    }

    /// Forgets the lock as lost: from now on every state write is refused (`checkFence`).
    func loseLock() {
        held.withLock { $0 = nil }
        lockLost.withLock { $0 = true }
    }

    /// Closes the file's connections (the last one to close folds the write-ahead log into the
    /// file). Best effort: a connection still busy closes when the ledger is released.
    public func close() async {
        try? pool.close()
    }

    static func holder(_ row: Row) -> LockHolder {
        LockHolder(pid: row["pid"], host: row["host"], startedAt: Date(timeIntervalSince1970: row["started_at"]),
                   heartbeatAt: Date(timeIntervalSince1970: row["heartbeat_at"]), runID: row["run_id"])
    }
}
