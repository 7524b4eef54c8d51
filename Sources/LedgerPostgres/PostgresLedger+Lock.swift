import Foundation
import Ledger
import PostgresNIO

/// The import lock of a run: the dedicated connection that holds the advisory lock.
struct LockSession: Sendable {
    let connection: PostgresConnection
    let holder: LockHolder
    /// The server process of `connection` (what `pg_locks.pid` shows for our lock).
    let backendPID: Int64
}

extension PostgresLedger {
    // MARK: Import lock (a session advisory lock per account)

    /// The first key of this ledger's advisory locks: FNV-1a of `omsync:SCHEMA`, so that
    /// ledgers in two schemas of one database (whose account ids both start at 1) never share
    /// a lock; the second key is the account's id in `accounts`.
    var lockSpace: Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in "omsync:\(location.schema)".utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int32(bitPattern: hash)
    }

    /// Takes the account's advisory lock on a new dedicated connection. The lock is the truth:
    /// a holder row left by a run whose session is gone is reported as taken over; a live
    /// holder's row names it in `LedgerError.locked(by:)`. `staleAfter` is not used: the server
    /// itself knows when a holder's session has ended.
    public func acquireImportLock(_ holder: LockHolder, staleAfter: TimeInterval) async throws -> LockAcquisition {
        if let session = lock.withLock({ $0 }) {
            guard session.holder.pid == holder.pid, session.holder.host == holder.host else {
                throw LedgerError.locked(by: session.holder)
            }
            return LockAcquisition(takenOver: nil)
        }
        return try await answered { try await self.takeLock(holder) }
    }

    /// The lock taken on a new connection (the body of `acquireImportLock`).
    private func takeLock(_ holder: LockHolder) async throws -> LockAcquisition {
        let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 1, logger: logger)
        do {
            var got = false
            for try await value in try await connection.query(
                "SELECT pg_try_advisory_lock(\(lockSpace), \(accountKey))", logger: logger).decode(Bool.self) {
                got = value
            }
            guard got else {
                let current = try await waitForHolderRow()
                try? await connection.close()
                throw LedgerError.locked(by: current ?? LockHolder(pid: 0, host: "another machine", startedAt: Date()))
            }
            var backendPID: Int64 = 0
            for try await pid in try await connection.query("SELECT pg_backend_pid()::bigint", logger: logger).decode(Int64.self) {
                backendPID = pid
            }
            let previous = try await holderRow(connection)
            let takenOver = previous.flatMap { $0.pid == holder.pid && $0.host == holder.host ? nil : $0 }
            let now = Date().timeIntervalSince1970
            try await connection.query("""
                INSERT INTO import_locks (account, pid, host, started_at, heartbeat_at, run_id, backend_pid)
                VALUES (\(account), \(Int64(holder.pid)), \(holder.host), \(holder.startedAt.timeIntervalSince1970), \(now), \(holder.runID), \(backendPID))
                ON CONFLICT (account) DO UPDATE SET pid = excluded.pid, host = excluded.host, started_at = excluded.started_at,
                  heartbeat_at = excluded.heartbeat_at, run_id = excluded.run_id, backend_pid = excluded.backend_pid
                """, logger: logger)
            lock.withLock { $0 = LockSession(connection: connection, holder: holder, backendPID: backendPID) }
            lockLost.withLock { $0 = false }
            return LockAcquisition(takenOver: takenOver)
        } catch let error as LedgerError {
            throw error
        } catch {
            try? await connection.close()
            throw LedgerError.unavailable(path: "\(location)", reason: PostgresFailure.describe(error))
        }
    }

    /// Checks on the lock connection that the lock is still ours and refreshes the holder row.
    public func heartbeat(_ holder: LockHolder) async throws {
        guard let session = lock.withLock({ $0 }), session.holder.pid == holder.pid, session.holder.host == holder.host else {
            throw LedgerError.lockLost(to: try? await importLockHolder())
        }
        if session.connection.isClosed {
            loseLock()
            throw LedgerError.lockLost(to: try? await importLockHolder())
        }
        do {
            try await answered { try await self.refresh(session) }
        } catch LedgerError.noAnswer(let path, let seconds) {
            // Whether the lock is still ours cannot be known: this run stops, and the server
            // drops the lock with the connection.
            loseLock()
            try? await session.connection.close()
            throw LedgerError.noAnswer(path: path, seconds: seconds)
        } catch {
            loseLock()
            try? await session.connection.close()
            throw LedgerError.lockLost(to: try? await importLockHolder())
        }
    }

    /// On the lock connection: checks the lock is still held by it and refreshes the holder row.
    private func refresh(_ session: LockSession) async throws {
        var held = false
        for try await count in try await session.connection.query("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = \(Int64(UInt32(bitPattern: lockSpace)))
              AND objid::bigint = \(Int64(accountKey)) AND objsubid = 2 AND pid = pg_backend_pid() AND granted
            """, logger: logger).decode(Int64.self) {
            held = count > 0
        }
        guard held else { throw LedgerError.lockLost(to: nil) }
        try await session.connection.query(
            "UPDATE import_locks SET heartbeat_at = \(Date().timeIntervalSince1970) WHERE account = \(account) AND backend_pid = \(session.backendPID)",
            logger: logger)
    }

    /// Drops the advisory lock by closing its connection, after removing the holder row.
    public func releaseImportLock(_ holder: LockHolder) async throws {
        let session = lock.withLock { current -> LockSession? in
            guard let session = current, session.holder.pid == holder.pid, session.holder.host == holder.host else { return nil }
            current = nil
            return session
        }
        guard let session else { return }
        let (account, lockSpace, accountKey, logger) = (self.account, self.lockSpace, self.accountKey, self.logger)
        // Closing the connection drops the lock whatever the server answers (or not).
        _ = try? await answered {
            _ = try await session.connection.query(
                "DELETE FROM import_locks WHERE account = \(account) AND backend_pid = \(session.backendPID)", logger: logger)
            _ = try await session.connection.query("SELECT pg_advisory_unlock(\(lockSpace), \(accountKey))", logger: logger).collect()
        }
        try? await session.connection.close()
    }

    /// The live holder: the row of the session that holds the advisory lock (a row left by a
    /// session that is gone is not a holder).
    public func importLockHolder() async throws -> LockHolder? {
        for row in try await rows("""
            SELECT l.pid, l.host, l.started_at, l.heartbeat_at, l.run_id FROM import_locks l
            WHERE l.account = \(account) AND EXISTS (SELECT 1 FROM pg_locks p WHERE p.locktype = 'advisory'
              AND p.classid::bigint = \(Int64(UInt32(bitPattern: lockSpace))) AND p.objid::bigint = \(Int64(accountKey))
              AND p.objsubid = 2 AND p.granted AND p.pid::bigint = l.backend_pid)
            """) {
            let (pid, host, started, beat, run) = try row.decode((Int64, String, Double, Double, Int64?).self)
            return LockHolder(pid: Int32(truncatingIfNeeded: pid), host: host, startedAt: Date(timeIntervalSince1970: started),
                              heartbeatAt: Date(timeIntervalSince1970: beat), runID: run)
        }
        return nil
    }

    /// The holder row, whoever wrote it.
    func holderRow(_ connection: PostgresConnection) async throws -> LockHolder? {
        for try await (pid, host, started, beat, run) in try await connection.query(
            "SELECT pid, host, started_at, heartbeat_at, run_id FROM import_locks WHERE account = \(account)",
            logger: logger).decode((Int64, String, Double, Double, Int64?).self) {
            return LockHolder(pid: Int32(truncatingIfNeeded: pid), host: host, startedAt: Date(timeIntervalSince1970: started),
                              heartbeatAt: Date(timeIntervalSince1970: beat), runID: run)
        }
        return nil
    }

    /// The live holder, waiting up to a second for a holder that has the lock but has not yet
    /// written its row.
    func waitForHolderRow() async throws -> LockHolder? {
        for _ in 0..<20 {
            if let holder = try await importLockHolder() { return holder }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Inside a write transaction: fails with `lockLost` when this instance held the lock and
    /// its session no longer does (the fence that keeps a run whose connection died from
    /// writing after another run took over).
    func checkFence(_ connection: PostgresConnection) async throws {
        if lockLost.withLock({ $0 }) { throw LedgerError.lockLost(to: try? await importLockHolder()) }
        guard let session = lock.withLock({ $0 }) else { return }
        for try await count in try await connection.query("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = \(Int64(UInt32(bitPattern: lockSpace)))
              AND objid::bigint = \(Int64(accountKey)) AND objsubid = 2 AND pid = \(Int32(truncatingIfNeeded: session.backendPID)) AND granted
            """, logger: logger).decode(Int64.self) where count == 0 {
            loseLock()
            throw LedgerError.lockLost(to: try? await importLockHolder())
        }
    }

    /// Forgets the lock session as lost: from now on every write is refused (`checkFence`).
    func loseLock() {
        lock.withLock { $0 = nil }
        lockLost.withLock { $0 = true }
    }
}
