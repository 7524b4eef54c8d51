import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Ledger
import Testing
import TestSupport

/// What only the SQLite ledger does, on real files in a temporary folder (the shared
/// behaviour is in `LedgerContractTests`).
@Suite struct SQLiteLedgerTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let t0 = Date(timeIntervalSince1970: 1_764_669_600.123)

    static func order(_ id: String, state: OrderSyncState = .pushed) -> OrderRecord {
        OrderRecord(sourceID: id, sourceNumber: "OM-\(id)", state: state, guid: "g-\(id)", payloadHash: "h",
                    pendingChanges: Data(#"{"CustomerRef":"x DELETED"}"#.utf8), supersededGuids: ["old-1", "old-2"],
                    attempts: 2, lastError: state == .rejected ? "refused" : nil, createdAt: t0, updatedAt: t0)
    }

    @Test func damagedFilesAreRefusedAndLeftAsTheyAre() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let garbage = dir.appendingPathComponent("garbage.sqlite")
        let bytes = Data((0..<4096).map { UInt8($0 % 251) })
        try bytes.write(to: garbage)
        #expect(throws: LedgerError.self) { _ = try SQLiteLedger(path: garbage.path) }
        #expect(try Data(contentsOf: garbage) == bytes)

        let real = dir.appendingPathComponent("real.sqlite")
        do {
            let ledger = try SQLiteLedger(path: real.path)
            for n in 0..<200 { try await ledger.saveOrder(Self.order("o\(n)")) }
        }
        let checkpoint = Process()
        checkpoint.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        checkpoint.arguments = [real.path, "PRAGMA wal_checkpoint(TRUNCATE);"]
        try checkpoint.run()
        checkpoint.waitUntilExit()
        let full = try Data(contentsOf: real)
        let half = full.prefix(full.count / 2)
        try? FileManager.default.removeItem(atPath: real.path + "-wal")
        try? FileManager.default.removeItem(atPath: real.path + "-shm")
        try half.write(to: real)
        #expect(throws: LedgerError.self) { _ = try SQLiteLedger(path: real.path) }
        #expect(try Data(contentsOf: real) == half)
    }

    /// Issue 21, item 2: a checkpoint cut short by a full disk leaves the file longer than its
    /// whole pages while its pages are still in the write-ahead log. SQLite reads such a ledger
    /// fine; omsync must too, not call it truncated and send the user to a backup.
    @Test func aFileLeftByACheckpointCutShortIsReadWithItsWriteAheadLog() async throws {
        let live = try Self.folder(), copy = try Self.folder()
        defer { try? FileManager.default.removeItem(at: live); try? FileManager.default.removeItem(at: copy) }
        let ledger = try SQLiteLedger(path: live.appendingPathComponent("ledger.sqlite").path)
        for n in 0..<50 { try await ledger.saveOrder(Self.order("\(n)")) }
        // The files as a crash leaves them (no checkpoint, no -shm), the main file grown by part of a page.
        for name in ["ledger.sqlite", "ledger.sqlite-wal"] {
            try FileManager.default.copyItem(at: live.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        await ledger.close()
        let main = try FileHandle(forWritingTo: copy.appendingPathComponent("ledger.sqlite"))
        try main.seekToEnd()
        try main.write(contentsOf: Data(repeating: 0, count: 100))
        try main.close()
        let wal = try FileManager.default.attributesOfItem(atPath: copy.appendingPathComponent("ledger.sqlite-wal").path)[.size] as? Int
        #expect((wal ?? 0) > 0, "the copy has its write-ahead log")
        let reopened = try SQLiteLedger(path: copy.appendingPathComponent("ledger.sqlite").path)
        #expect(try await reopened.orders(OrderFilter()).count == 50)
        await reopened.close()
    }

    /// Issue 21, item 12: a lock holder on this host that has exited but was not yet reaped (a
    /// zombie: `kill(pid, 0)` still succeeds) holds nothing; its lock is taken over.
    @Test func aLockHeldByAZombieProcessIsTakenOver() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var child: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&child, "/bin/true", nil, nil, &argv, nil) == 0)
        defer { var status: Int32 = 0; waitpid(child, &status, 0) }
        // Wait until it has exited (a zombie until the waitpid above).
        for _ in 0..<200 {
            if let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8), stat.contains(") Z") { break }
            usleep(10_000)
        }
        #expect(kill(child, 0) == 0, "a zombie still answers kill(pid, 0)")
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("ledger.sqlite").path)
        let host = ProcessInfo.processInfo.hostName
        _ = try await ledger.acquireImportLock(LockHolder(pid: child, host: host, startedAt: Date()), staleAfter: 3600)
        let mine = LockHolder(pid: ProcessInfo.processInfo.processIdentifier, host: host, startedAt: Date())
        let taken = try await ledger.acquireImportLock(mine, staleAfter: 3600)
        #expect(taken.takenOver?.pid == child)
        await ledger.close()
    }

    @Test func foreignDatabaseAndNewerSchemaAreRefused() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let foreign = dir.appendingPathComponent("foreign.sqlite").path
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        make.arguments = [foreign, "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');"]
        try make.run()
        make.waitUntilExit()
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        #expect(throws: LedgerError.self) { _ = try SQLiteLedger(path: foreign) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)

        let newer = dir.appendingPathComponent("newer.sqlite").path
        _ = try SQLiteLedger(path: newer)
        let add = Process()
        add.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        add.arguments = [newer, "INSERT INTO grdb_migrations VALUES ('v9-from-the-future');"]
        try add.run()
        add.waitUntilExit()
        #expect(throws: LedgerError.newerSchema(path: newer, unknownMigrations: ["v9-from-the-future"])) {
            _ = try SQLiteLedger(path: newer)
        }
    }

    /// A ledger file written before the payloads were kept (v1 only, with an order in it) is
    /// brought up to date on open: its rows stay, and it keeps payloads from then on.
    @Test func aLedgerFromBeforeV2IsUpgradedKeepingItsRows() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = dir.appendingPathComponent("v1.sqlite").path
        _ = try SQLiteLedger(path: old)
        let downgrade = Process()
        downgrade.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        downgrade.arguments = [old, """
            DROP TABLE pushed_payloads; DELETE FROM grdb_migrations WHERE identifier = 'v2-pushed-payloads';
            INSERT INTO orders (source_id, state, created_at, updated_at) VALUES ('old-1', 'pushed', 1, 1);
            """]
        try await OffPool.run {
            try downgrade.run()
            downgrade.waitUntilExit()
        }
        #expect(downgrade.terminationStatus == 0)
        let ledger = try SQLiteLedger(path: old)
        #expect(try await ledger.order(sourceID: "old-1")?.state == .pushed)
        #expect(try await ledger.payloads().isEmpty)
        try await ledger.savePayload(PushedPayload(sourceID: "old-1", hash: "h", json: "{}", recordedAt: Date(timeIntervalSince1970: 2)))
        #expect(try await ledger.payload(sourceID: "old-1", hash: "h")?.json == "{}")
    }
}
