import Foundation
import Ledger
import Testing

/// The SQLite ledger on real files in a temporary folder.
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

    @Test func rowsRoundTrip() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = try SQLiteLedger(path: dir.appendingPathComponent("nested/ledger.sqlite").path)
        try await ledger.saveOrder(Self.order("1"))
        #expect(try await ledger.order(sourceID: "1") == Self.order("1"))
        #expect(try await ledger.order(sourceNumber: "OM-1")?.sourceID == "1")
        try await ledger.saveOrder(Self.order("2", state: .rejected))
        #expect(try await ledger.orders(OrderFilter(failedOnly: true)).map(\.sourceID) == ["2"])
        #expect(try await ledger.orders(OrderFilter(states: [.pushed])).map(\.sourceID) == ["1"])
        let mapping = CustomerMapping(customerID: "c1", customerName: "Cafe", customerCode: "ACME", unleashedGuid: "g", origin: .manual, updatedAt: Self.t0)
        try await ledger.saveCustomerMapping(mapping)
        #expect(try await ledger.customerMappings() == [mapping])
        #expect(try await ledger.forgetCustomerMapping(customerID: "c1"))
        #expect(try await !ledger.forgetCustomerMapping(customerID: "c1"))
        var run = try await ledger.beginRun(ImportRun(batchPaths: ["a.json"], batchHash: "abc", pid: 1, host: "h", startedAt: Self.t0))
        #expect(run.id > 0)
        run.counts = ["created": 3]
        run.checkpoint = 7
        try await ledger.saveRun(run)
        #expect(try await ledger.unfinishedRun(batchHash: "abc") == run)
        run.state = .finished
        try await ledger.saveRun(run)
        #expect(try await ledger.unfinishedRun(batchHash: "abc") == nil)
        try await ledger.addCalls(month: "2026-12", counts: ["GET /Warehouses/{page}": 2])
        try await ledger.addCalls(month: "2026-12", counts: ["GET /Warehouses/{page}": 3])
        #expect(try await ledger.calls(month: "2026-12") == ["GET /Warehouses/{page}": 5])
        for n in 1...5 {
            try await ledger.appendLog(LogEntry(time: Self.t0.addingTimeInterval(Double(n)), runID: run.id, sourceID: "1",
                                                orderNumber: "OM-1", action: "create", outcome: n == 3 ? "error" : "ok"))
        }
        #expect(try await ledger.logs(LogFilter(errorsOnly: true)).count == 1)
        #expect(try await ledger.logs(LogFilter(limit: 2)).map(\.time) == [Self.t0.addingTimeInterval(4), Self.t0.addingTimeInterval(5)])
    }

    @Test func commitIsAllOrNothing() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = try SQLiteLedger(path: dir.appendingPathComponent("ledger.sqlite").path)
        // The last change breaks a NOT NULL column (SQLite stores NaN as NULL): the whole
        // transaction must roll back, the order and the log row with it.
        let entry = LogEntry(time: Self.t0, runID: nil, sourceID: "9", orderNumber: nil, action: "create", outcome: "ok")
        let broken = CustomerMapping(customerID: "c", customerCode: "X", unleashedGuid: nil, origin: .property,
                                     updatedAt: Date(timeIntervalSince1970: .nan))
        await #expect(throws: (any Error).self) {
            try await ledger.commit([.saveOrder(Self.order("9")), .appendLog(entry), .saveCustomerMapping(broken)])
        }
        #expect(try await ledger.order(sourceID: "9") == nil)
        #expect(try await ledger.logs(LogFilter()).isEmpty)
    }

    @Test func secondHolderIsRefusedAndADeadOneTakenOver() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ledger.sqlite").path
        let first = try SQLiteLedger(path: path)
        let second = try SQLiteLedger(path: path)
        let me = LockHolder(pid: ProcessInfo.processInfo.processIdentifier, host: "host-a", startedAt: Self.t0)
        _ = try await first.acquireImportLock(me, staleAfter: 60)
        let other = LockHolder(pid: me.pid + 1, host: "host-a", startedAt: Date())
        do {
            _ = try await second.acquireImportLock(other, staleAfter: 60)
            Issue.record("a second holder got the lock")
        } catch LedgerError.locked(let holder) {
            #expect(holder.pid == me.pid && holder.host == "host-a" && holder.startedAt == Self.t0)
        }
        try await first.releaseImportLock(me)
        // A holder whose process is gone is taken over.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = LockHolder(pid: gone.processIdentifier, host: "host-a", startedAt: Self.t0)
        _ = try await first.acquireImportLock(dead, staleAfter: 60)
        let taken = try await second.acquireImportLock(other, staleAfter: 60)
        #expect(taken.takenOver?.pid == dead.pid)
        await #expect(throws: LedgerError.self) { try await first.heartbeat(dead) }
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

    @Test func concurrentWritersLoseNothing() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ledger.sqlite").path
        let a = try SQLiteLedger(path: path)
        let b = try SQLiteLedger(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                let ledger = task % 2 == 0 ? a : b
                group.addTask {
                    for n in 0..<20 {
                        let id = "t\(task)-\(n)"
                        try await ledger.commit([.saveOrder(Self.order(id)),
                                                 .appendLog(LogEntry(time: Date(), runID: nil, sourceID: id, orderNumber: nil, action: "create", outcome: "ok"))])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await a.orders(OrderFilter()).count == 1000)
        #expect(try await b.logs(LogFilter()).count == 1000)
    }
}
