import Foundation
import Ledger
import Testing

/// The contract, continued: what a ledger holds that this binary does not know, and the fence
/// of a run that lost its lock, for every backend.
extension LedgerContractTests {
    /// A state, origin, run state, log action or outcome this omsync does not know (a ledger
    /// written by a newer omsync, or edited by hand) is an error naming the value and the
    /// column, from every read of it, never another value.
    @Test(arguments: LedgerBackend.tested) func anUnknownStoredValueIsAnErrorNamingIt(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let ledger = try await store.open()
        try await ledger.saveOrder(Self.order("1"))
        try await ledger.saveCustomerMapping(CustomerMapping(customerID: "c1", customerCode: "ACME", unleashedGuid: nil, origin: .manual, updatedAt: Self.t0))
        let run = try await ledger.beginRun(ImportRun(batchPaths: ["a.json"], batchHash: "abc", pid: 1, host: "h", startedAt: Self.t0))
        try await ledger.appendLog(LogEntry(time: Self.t0, runID: run.id, sourceID: "1", orderNumber: "OM-1", action: .create, outcome: .ok))
        #expect(try await ledger.exportRows().count == 4, "every row reads while every value is known")

        func expectUnknown(_ table: String, _ column: String, _ value: String, _ read: () async throws -> Void) async {
            do {
                try await read()
                Issue.record("\(table).\(column) '\(value)' was read as a value this omsync knows")
            } catch let error as LedgerError {
                #expect(error == .unknownValue(table: table, column: column, value: value))
                #expect(error.description.contains("'\(value)'") && error.description.contains("newer omsync"), "\(error)")
            } catch {
                Issue.record("not a LedgerError: \(error)")
            }
        }

        try await store.edit("UPDATE orders SET state = 'frozen' WHERE {account}")
        await expectUnknown("orders", "state", "frozen") { _ = try await ledger.order(sourceID: "1") }
        await expectUnknown("orders", "state", "frozen") { _ = try await ledger.order(sourceNumber: "OM-1") }
        await expectUnknown("orders", "state", "frozen") { _ = try await ledger.orders(OrderFilter()) }
        await expectUnknown("orders", "state", "frozen") { _ = try await ledger.exportRows() }
        #expect(LedgerError.unknownValue(table: "orders", column: "state", value: "frozen").description.hasPrefix(
            "the ledger holds order state 'frozen' (orders.state), which this omsync does not know: it was written by a newer omsync (or edited by hand)"))
        try await store.edit("UPDATE orders SET state = 'pushed' WHERE {account}")

        try await store.edit("UPDATE customer_mappings SET origin = 'imported' WHERE {account}")
        await expectUnknown("customer_mappings", "origin", "imported") { _ = try await ledger.customerMapping(customerID: "c1") }
        await expectUnknown("customer_mappings", "origin", "imported") { _ = try await ledger.customerMappings() }
        try await store.edit("UPDATE customer_mappings SET origin = 'manual' WHERE {account}")

        try await store.edit("UPDATE import_runs SET state = 'paused' WHERE {account}")
        await expectUnknown("import_runs", "state", "paused") { _ = try await ledger.runs(limit: 5) }
        await expectUnknown("import_runs", "state", "paused") { _ = try await ledger.unfinishedRun(batchHash: "abc") }
        try await store.edit("UPDATE import_runs SET state = 'finished' WHERE {account}")

        try await store.edit("UPDATE integration_log SET action = 'complete' WHERE {account}")
        await expectUnknown("integration_log", "action", "complete") { _ = try await ledger.logs(LogFilter()) }
        try await store.edit("UPDATE integration_log SET action = 'create', outcome = 'partial' WHERE {account}")
        await expectUnknown("integration_log", "outcome", "partial") { _ = try await ledger.logs(LogFilter(runID: run.id)) }
        try await store.edit("UPDATE integration_log SET outcome = 'ok' WHERE {account}")
        #expect(try await ledger.exportRows().count == 4)
        await ledger.close()
        try await store.destroy()
    }

    /// The failed outcomes `errorsOnly` keeps are exactly `LogOutcome.failures`, in both backends.
    @Test(arguments: LedgerBackend.tested) func errorsOnlyKeepsExactlyTheFailedOutcomes(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let ledger = try await store.open()
        for (n, outcome) in LogOutcome.allCases.enumerated() {
            try await ledger.appendLog(LogEntry(time: Self.t0.addingTimeInterval(Double(n)), runID: nil, sourceID: "1", orderNumber: nil,
                                                action: .create, outcome: outcome))
        }
        #expect(try await ledger.logs(LogFilter(errorsOnly: true)).map(\.outcome) == LogOutcome.allCases.filter(\.isFailure))
        #expect(Set(LogOutcome.failures) == [.error, .rejected, .blocked, .warning])
        await ledger.close()
        try await store.destroy()
    }

    /// The fence (the contract in `Ledger`): once another run has taken the lock over, the run
    /// that lost it can write no state (orders, runs, mappings, products, payloads), from any
    /// of its commits, while its log rows and call counts are kept; taking the lock again lifts it.
    @Test(arguments: LedgerBackend.tested) func aRunThatLostItsLockWritesNoState(_ backend: LedgerBackend) async throws {
        let store = try backend.makeStore()
        let losing = try await store.open()
        let next = try await store.open()
        let lost = try LedgerStore.deadHolder(host: "host-a", startedAt: Self.t0)
        _ = try await losing.acquireImportLock(lost, staleAfter: 3600)
        try await losing.commit([.saveOrder(Self.order("before"))])
        try await store.loseSession(of: losing)
        let taker = LockHolder(pid: ProcessInfo.processInfo.processIdentifier, host: "host-a", startedAt: Date())
        #expect(try await next.acquireImportLock(taker, staleAfter: 3600).takenOver?.pid == lost.pid)
        try await next.saveOrder(Self.order("taken"))

        do {
            try await losing.commit([.saveOrder(Self.order("taken", state: .rejected))])
            Issue.record("a run that lost its lock wrote an order's state")
        } catch LedgerError.lockLost(let holder) {
            #expect(holder?.pid == taker.pid, "names the run that holds the lock now")
        }
        let product = CreatedProduct(productCode: "FREIGHT", guid: "p", runID: nil, createdAt: Self.t0)
        let mapping = CustomerMapping(customerID: "c", customerCode: "X", unleashedGuid: nil, origin: .property, updatedAt: Self.t0)
        let payload = PushedPayload(sourceID: "taken", hash: "h", json: "{}", recordedAt: Self.t0)
        for change: LedgerChange in [.saveCreatedProduct(product), .saveCustomerMapping(mapping), .savePayload(payload),
                                     .prunePayloads(sourceID: "x", keeping: "")] {
            await #expect(throws: LedgerError.self) { try await losing.commit([change]) }
        }
        await #expect(throws: LedgerError.self) { try await losing.saveOrder(Self.order("late")) }
        await #expect(throws: LedgerError.self) {
            try await losing.saveRun(ImportRun(id: 1, batchPaths: [], batchHash: "h", state: .failed, pid: lost.pid, host: "host-a", startedAt: Self.t0))
        }
        await #expect(throws: LedgerError.self) { try await losing.heartbeat(lost) }
        // What only adds is kept: its log rows and the calls it spent.
        try await losing.commit([
            .appendLog(LogEntry(time: Date(), runID: nil, sourceID: "late", orderNumber: nil, action: .create, outcome: .error)),
            .addCalls(month: "2026-12", counts: ["POST /SalesOrders/{guid}": 1]),
        ])
        #expect(try await next.order(sourceID: "taken")?.state == .pushed, "the row of the run that holds the lock stands")
        #expect(try await next.order(sourceID: "late") == nil)
        #expect(try await next.createdProducts().isEmpty)
        #expect(try await next.customerMappings().isEmpty)
        #expect(try await next.payloads().isEmpty)
        #expect(try await next.calls(month: "2026-12") == ["POST /SalesOrders/{guid}": 1])
        #expect(try await next.logs(LogFilter()).map(\.sourceID) == ["late"])
        // An instance that never held the lock is not fenced.
        let reader = try await store.open()
        try await reader.saveCustomerMapping(mapping)
        try await next.releaseImportLock(taker)
        for ledger in [losing, next, reader] { await ledger.close() }
        try await store.destroy()
    }
}
