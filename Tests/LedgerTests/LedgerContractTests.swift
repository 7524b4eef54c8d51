import Foundation
import Ledger
import Testing

/// The ledger contract: the same tests against every backend (SQLite files; PostgreSQL in the
/// test cluster). What the push stage relies on is here, once.
@Suite struct LedgerContractTests {
    static let t0 = Date(timeIntervalSince1970: 1_764_669_600.123)

    static func order(_ id: String, state: OrderSyncState = .pushed) -> OrderRecord {
        OrderRecord(sourceID: id, sourceNumber: "OM-\(id)", state: state, guid: "g-\(id)", payloadHash: "h",
                    pendingChanges: Data(#"{"CustomerRef":"x DELETED"}"#.utf8), supersededGuids: ["old-1", "old-2"],
                    attempts: 2, lastError: state == .rejected ? "refused" : nil, createdAt: t0, updatedAt: t0,
                    pushedVersion: 1_764_669_600_123, seenVersion: 1_764_669_700_456)
    }

    @Test(arguments: LedgerBackend.tested) func rowsRoundTrip(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let ledger = try await store.open()
        try await ledger.saveOrder(Self.order("1"))
        #expect(try await ledger.order(sourceID: "1") == Self.order("1"))
        #expect(try await ledger.order(sourceNumber: "OM-1")?.sourceID == "1")
        #expect(try await ledger.order(sourceID: "missing") == nil)
        try await ledger.saveOrder(Self.order("2", state: .rejected))
        #expect(try await ledger.orders(OrderFilter(failedOnly: true)).map(\.sourceID) == ["2"])
        #expect(try await ledger.orders(OrderFilter(states: [.pushed])).map(\.sourceID) == ["1"])
        #expect(try await ledger.orders(OrderFilter(limit: 1)).count == 1)
        var replaced = Self.order("1", state: .superseded)
        replaced.guid = nil
        replaced.updatedAt = Self.t0.addingTimeInterval(1)
        try await ledger.saveOrder(replaced)
        #expect(try await ledger.order(sourceID: "1") == replaced)
        let mapping = CustomerMapping(customerID: "c1", customerName: "Cafe", customerCode: "ACME", unleashedGuid: "g", origin: .manual, updatedAt: Self.t0)
        try await ledger.saveCustomerMapping(mapping)
        #expect(try await ledger.customerMappings() == [mapping])
        #expect(try await ledger.customerMapping(customerID: "c1") == mapping)
        #expect(try await ledger.forgetCustomerMapping(customerID: "c1"))
        #expect(try await !ledger.forgetCustomerMapping(customerID: "c1"))
        let product = CreatedProduct(productCode: "FREIGHT", guid: "p1", runID: 3, createdAt: Self.t0)
        try await ledger.saveCreatedProduct(product)
        #expect(try await ledger.createdProducts() == [product])
        let reference = CachedReference(kind: "Warehouses", items: Data(#"[{"WarehouseCode":"MAIN"}]"#.utf8), fetchedAt: Self.t0)
        try await ledger.saveReferenceData(reference)
        #expect(try await ledger.referenceData(kind: "Warehouses") == reference)
        var run = try await ledger.beginRun(ImportRun(batchPaths: ["a.json"], batchHash: "abc", pid: 1, host: "h", startedAt: Self.t0))
        #expect(run.id > 0)
        run.counts = ["created": 3]
        run.checkpoint = 7
        try await ledger.saveRun(run)
        #expect(try await ledger.unfinishedRun(batchHash: "abc") == run)
        #expect(try await ledger.run(id: run.id) == run)
        run.state = .finished
        run.finishedAt = Self.t0.addingTimeInterval(9)
        try await ledger.saveRun(run)
        #expect(try await ledger.unfinishedRun(batchHash: "abc") == nil)
        #expect(try await ledger.runs(limit: 5) == [run])
        try await ledger.addCalls(month: "2026-12", counts: ["GET /Warehouses/{page}": 2])
        try await ledger.addCalls(month: "2026-12", counts: ["GET /Warehouses/{page}": 3, "POST /SalesOrders/{guid}": 1])
        #expect(try await ledger.calls(month: "2026-12") == ["GET /Warehouses/{page}": 5, "POST /SalesOrders/{guid}": 1])
        #expect(try await ledger.calls(month: "2026-11").isEmpty)
        for n in 1...5 {
            let entry = try await ledger.appendLog(LogEntry(time: Self.t0.addingTimeInterval(Double(n)), runID: run.id, sourceID: "1",
                                                            orderNumber: "OM-1", action: .create, outcome: n == 3 ? .error : .ok,
                                                            httpStatus: n == 3 ? 400 : nil, message: "n\(n)"))
            #expect(entry.id > 0)
        }
        #expect(try await ledger.logs(LogFilter(errorsOnly: true)).map(\.httpStatus) == [400])
        #expect(try await ledger.logs(LogFilter(limit: 2)).map(\.time) == [Self.t0.addingTimeInterval(4), Self.t0.addingTimeInterval(5)])
        #expect(try await ledger.logs(LogFilter(since: Self.t0.addingTimeInterval(4.5))).map(\.message) == ["n5"])
        #expect(try await ledger.logs(LogFilter(orderNumber: "OM-2")).isEmpty)
        #expect(try await ledger.logs(LogFilter(sourceID: "1", runID: run.id)).count == 5)
        try await store.destroy()
    }

    /// The payloads sent (issue 9's diff): kept per order and hash, replaced by a second save of
    /// the same hash, pruned to the confirmed one in the same transaction as the row, per account,
    /// and carried by an export into another backend.
    @Test(arguments: LedgerBackend.tested) func payloadsAreKeptPerOrderAndHashAndPrunedToTheConfirmedOne(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let ledger = try await store.open(account: "alpha")
        let first = PushedPayload(sourceID: "1", hash: "h1", json: #"{"Total":95.01,"Comments":"ünïcode \"quoted\""}"#, recordedAt: Self.t0)
        let second = PushedPayload(sourceID: "1", hash: "h2", json: #"{"Total":96}"#, recordedAt: Self.t0.addingTimeInterval(5))
        let other = PushedPayload(sourceID: "2", hash: "h1", json: #"{"Total":1}"#, recordedAt: Self.t0)
        try await ledger.savePayload(first)
        try await ledger.commit([.savePayload(second), .savePayload(other)])
        #expect(try await ledger.payload(sourceID: "1", hash: "h1") == first)
        #expect(try await ledger.payload(sourceID: "1", hash: "h2") == second)
        #expect(try await ledger.payload(sourceID: "1", hash: "h3") == nil)
        #expect(try await ledger.payloads() == [first, second, other])
        var again = first
        again.recordedAt = Self.t0.addingTimeInterval(9)
        try await ledger.savePayload(again)
        #expect(try await ledger.payload(sourceID: "1", hash: "h1") == again, "the same order and hash replaces")
        // Confirmed as h2: the order's other payloads go, another order's stay.
        try await ledger.commit([.saveOrder(Self.order("1")), .prunePayloads(sourceID: "1", keeping: "h2")])
        #expect(try await ledger.payloads() == [second, other])
        // A failed transaction prunes nothing.
        let broken = CustomerMapping(customerID: "c", customerCode: "X", unleashedGuid: nil, origin: .property, updatedAt: Date(timeIntervalSince1970: .nan))
        await #expect(throws: (any Error).self) {
            try await ledger.commit([.prunePayloads(sourceID: "2", keeping: "none"), .saveCustomerMapping(broken)])
        }
        #expect(try await ledger.payload(sourceID: "2", hash: "h1") == other)
        let beta = try await store.open(account: "beta")
        #expect(try await beta.payloads().isEmpty, "another account keeps its own")
        // Moved by an export: the payloads arrive unchanged.
        let rows = try await ledger.exportRows()
        #expect(rows.suffix(2) == [.payload(second), .payload(other)])
        let decoded = try rows.map { try JSONDecoder().decode(LedgerRow.self, from: JSONEncoder().encode($0)) }
        let moved = try await store.open(account: "gamma")
        try await moved.importRows(decoded)
        #expect(try await moved.payloads() == [second, other])
        try await store.destroy()
    }

    @Test(arguments: LedgerBackend.tested) func commitIsAllOrNothing(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let ledger = try await store.open()
        // The last change breaks a NOT NULL / finite time column: the whole transaction must
        // roll back, the order and the log row with it.
        let entry = LogEntry(time: Self.t0, runID: nil, sourceID: "9", orderNumber: nil, action: .create, outcome: .ok)
        let broken = CustomerMapping(customerID: "c", customerCode: "X", unleashedGuid: nil, origin: .property,
                                     updatedAt: Date(timeIntervalSince1970: .nan))
        await #expect(throws: (any Error).self) {
            try await ledger.commit([.saveOrder(Self.order("9")), .appendLog(entry), .saveCustomerMapping(broken)])
        }
        #expect(try await ledger.order(sourceID: "9") == nil)
        #expect(try await ledger.logs(LogFilter()).isEmpty)
        try await ledger.commit([.saveOrder(Self.order("9")), .appendLog(entry), .addCalls(month: "2026-12", counts: ["x": 1])])
        #expect(try await ledger.order(sourceID: "9") != nil)
        #expect(try await ledger.logs(LogFilter()).count == 1)
        try await store.destroy()
    }

    @Test(arguments: LedgerBackend.tested) func secondHolderIsRefusedAndACrashedOneTakenOver(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let first = try await store.open()
        let second = try await store.open()
        let me = LockHolder(pid: ProcessInfo.processInfo.processIdentifier, host: "host-a", startedAt: Self.t0)
        #expect(try await first.acquireImportLock(me, staleAfter: 60).takenOver == nil)
        try await first.heartbeat(me)
        #expect(try await second.importLockHolder().map { [$0.pid, Int32($0.startedAt.timeIntervalSince1970)] } == [me.pid, Int32(Self.t0.timeIntervalSince1970)])
        let other = LockHolder(pid: me.pid + 1, host: "host-a", startedAt: Date())
        do {
            _ = try await second.acquireImportLock(other, staleAfter: 60)
            Issue.record("a second holder got the lock")
        } catch LedgerError.locked(let holder) {
            #expect(holder.pid == me.pid && holder.host == "host-a" && holder.startedAt == Self.t0)
            #expect(LedgerError.locked(by: holder).description.contains("pid \(me.pid) on host-a, started 2025-12-02T10:00:00Z"))
        }
        try await first.releaseImportLock(me)
        #expect(try await second.importLockHolder() == nil)
        // A holder that crashed (its process gone; for PostgreSQL its session) is taken over.
        let crashed = try await store.open()
        let dead = try LedgerStore.deadHolder(host: "host-a", startedAt: Self.t0)
        _ = try await crashed.acquireImportLock(dead, staleAfter: 60)
        try await store.crash(crashed)
        let taken = try await second.acquireImportLock(other, staleAfter: 60)
        #expect(taken.takenOver?.pid == dead.pid)
        await #expect(throws: LedgerError.self) { try await first.heartbeat(dead) }
        try await second.releaseImportLock(other)
        try await store.destroy()
    }

    @Test(arguments: LedgerBackend.tested) func accountsAreSeparate(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let a = try await store.open(account: "alpha")
        let b = try await store.open(account: "beta")
        try await a.saveOrder(Self.order("1"))
        try await a.appendLog(LogEntry(time: Self.t0, runID: nil, sourceID: "1", orderNumber: nil, action: .create, outcome: .ok))
        try await a.addCalls(month: "2026-12", counts: ["x": 2])
        #expect(try await b.order(sourceID: "1") == nil)
        #expect(try await b.logs(LogFilter()).isEmpty)
        #expect(try await b.calls(month: "2026-12").isEmpty)
        try await b.saveOrder(Self.order("1", state: .rejected))
        #expect(try await a.order(sourceID: "1")?.state == .pushed)
        // One lock per account: both imports may run at once.
        let holder = LockHolder(pid: ProcessInfo.processInfo.processIdentifier, host: "host-a", startedAt: Self.t0)
        _ = try await a.acquireImportLock(holder, staleAfter: 60)
        _ = try await b.acquireImportLock(LockHolder(pid: holder.pid + 1, host: "host-a", startedAt: Self.t0), staleAfter: 60)
        try await store.destroy()
    }

    /// The heartbeat of `omsync watch`: one row per directory, replaced by each cycle, newest
    /// cycle first, per account.
    @Test(arguments: LedgerBackend.tested) func watchStatusRoundTrips(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let a = try await store.open(account: "alpha")
        let b = try await store.open(account: "beta")
        #expect(try await a.watchStatuses().isEmpty)
        var inbox = WatchStatus(directory: "/srv/inbox", pid: 42, host: "worker-1", startedAt: Self.t0,
                                lastCycleAt: Self.t0.addingTimeInterval(5), lastOutcome: "idle", filesInLastCycle: 0)
        try await a.saveWatchStatus(inbox)
        inbox.lastCycleAt = Self.t0.addingTimeInterval(10)
        inbox.lastOutcome = "problems"
        inbox.filesInLastCycle = 3
        try await a.saveWatchStatus(inbox)
        let other = WatchStatus(directory: "/srv/other", pid: 7, host: "worker-2", startedAt: Self.t0,
                                lastCycleAt: Self.t0.addingTimeInterval(7), lastOutcome: "ok", filesInLastCycle: 1)
        try await a.saveWatchStatus(other)
        #expect(try await a.watchStatuses() == [inbox, other])
        #expect(try await b.watchStatuses().isEmpty)
        try await store.destroy()
    }

    @Test(arguments: LedgerBackend.tested) func concurrentWritersLoseNothing(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let a = try await store.open()
        let b = try await store.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                let ledger = task % 2 == 0 ? a : b
                group.addTask {
                    for n in 0..<20 {
                        let id = "t\(task)-\(n)"
                        try await ledger.commit([.saveOrder(Self.order(id)),
                                                 .appendLog(LogEntry(time: Date(), runID: nil, sourceID: id, orderNumber: nil, action: .create, outcome: .ok)),
                                                 .addCalls(month: "2026-12", counts: ["POST /SalesOrders/{guid}": 1])])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await a.orders(OrderFilter()).count == 1000)
        #expect(try await b.logs(LogFilter()).count == 1000)
        #expect(try await a.calls(month: "2026-12") == ["POST /SalesOrders/{guid}": 1000])
        try await store.destroy()
    }
}
