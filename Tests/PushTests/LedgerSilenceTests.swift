import Batch
import Foundation
import Ledger
import Push
import Sandbox
import Testing

/// A ledger whose server stops answering mid-run (a PostgreSQL ledger's `noAnswer`, whose
/// deadline `PostgresTimeoutTests` checks against a real server): the run stops at once,
/// resumably, instead of failing every order that follows; the next run creates the rest once.
@Suite struct LedgerSilenceTests {
    @Test func aLedgerThatStopsAnsweringStopsTheRunAndTheNextRunCreatesTheRestOnce() async throws {
        try await PushFixture.with { fx in
            let orders = (0..<12).map { OM.order(id: String(format: "6b5e7f90-0a1b-4c2d-8e3f-%012d", $0), number: "OMS\(300 + $0)") }
            let path = fx.folder.appendingPathComponent("batch.json").path
            try Data(JSONValue.array(orders).serialized().utf8).write(to: URL(fileURLWithPath: path))
            var options = PushOptions()
            options.concurrency = 1
            options.saveCallsEvery = 0
            let first = try await fx.importFile(path, options: options) { SilencingLedger($0, answering: 4) }
            guard case .ledger(let message)? = first.stopped else {
                Issue.record("the run goes on with a silent ledger: \(String(describing: first.stopped)) \(first.counts)")
                return
            }
            #expect(message.contains("gave no answer within 60 s"), "\(message)")
            #expect(first.counts[.failed] == nil, "no order is marked failed for the ledger's silence: \(first.counts)")
            #expect((first.counts[.created] ?? 0) <= 4, "\(first.counts)")
            let callsAfterSilence = try await fx.calls()["POST /SalesOrders/{guid}"] ?? 0
            #expect(callsAfterSilence <= 5, "at most the order in flight is sent once the ledger is silent: \(callsAfterSilence)")
            // The month's count holds the calls made before the silence (saved as they go, not
            // only every 50 orders and at the end, which the silence lost).
            let saved = try await fx.ledger().calls(month: PushStage.month(Date()))
            #expect((saved["POST /SalesOrders/{guid}"] ?? 0) >= (first.counts[.created] ?? 0) && (first.counts[.created] ?? 0) > 0, "\(saved) \(first.counts)")
            #expect((saved["GET /Warehouses"] ?? 0) >= 1, "\(saved)")

            let second = try await fx.importFile(path, options: options)
            #expect(second.stopped == nil, "\(String(describing: second.stopped))")
            for n in 0..<12 {
                #expect(try await fx.salesOrders(customerRef: "OMS\(300 + n)").count == 1, "OMS\(300 + n) exists exactly once")
            }
        }
    }

    /// The heartbeat finds the lock taken over mid-run: the run stops saying so (not as if by
    /// Ctrl-C, which is exit 130 and "interrupted"), and the next run finishes the batch.
    @Test func aLockLostToTheHeartbeatStopsTheRunSayingSo() async throws {
        var faults = FaultSettings()
        faults.latencyMs = 40
        try await PushFixture.with(faults: faults) { fx in
            let orders = (0..<20).map { OM.order(id: String(format: "6c5e7f90-0a1b-4c2d-8e3f-%012d", $0), number: "OMH\(400 + $0)") }
            let path = fx.folder.appendingPathComponent("batch.json").path
            try Data(JSONValue.array(orders).serialized().utf8).write(to: URL(fileURLWithPath: path))
            var options = PushOptions()
            options.concurrency = 1
            options.heartbeatEvery = .milliseconds(20)
            let first = try await fx.importFile(path, options: options) { SilencingLedger($0, heartbeatFails: true) }
            guard case .ledger(let message)? = first.stopped else {
                Issue.record("not stopped for the lost lock: \(String(describing: first.stopped)) \(first.counts)")
                return
            }
            #expect(message.contains("the import lock was taken over by pid 4242 on worker-3"), "\(message)")
            #expect((first.counts[.created] ?? 0) < 20, "stopped part-way: \(first.counts)")
            let run = try await fx.ledger().runs(limit: 1).first
            #expect(run?.state == .failed, "a failed run, resumed by the next: \(String(describing: run))")

            let second = try await fx.importFile(path, options: options)
            #expect(second.stopped == nil, "\(String(describing: second.stopped))")
            for n in 0..<20 {
                #expect(try await fx.salesOrders(customerRef: "OMH\(400 + n)").count == 1, "OMH\(400 + n) exists exactly once")
            }
        }
    }

    /// The run stops (its ledger silent) right after Unleashed applied a supersede, before the
    /// row says so: the next run finds the supersede landed and records the order superseded,
    /// not as a create that never happened (`rejected`), and sends nothing again.
    @Test func aSupersedeWhoseLastWriteIsLostIsSettledAsSuperseded() async throws {
        try await PushFixture.with { fx in
            let id = "6d5e7f90-0a1b-4c2d-8e3f-000000000001"
            _ = try await fx.importOrders([OM.order(id: id, number: "OMX500")])
            let cancelled = fx.folder.appendingPathComponent("cancelled.json").path
            try Data(JSONValue.array([OM.order(id: id, number: "OMX500", cancelled: true)]).serialized().utf8)
                .write(to: URL(fileURLWithPath: cancelled))
            let stopped = try await fx.importFile(cancelled) { base in
                SilencingLedger(base) { changes in
                    changes.contains { if case .saveOrder(let row) = $0 { return row.state == .superseded }; return false }
                }
            }
            guard case .ledger? = stopped.stopped else {
                Issue.record("the run went on: \(String(describing: stopped.stopped)) \(stopped.counts)")
                return
            }
            #expect(try await fx.salesOrders(customerRef: "OMX500 DELETED").count == 1, "the supersede landed in Unleashed")
            let calls = try await fx.calls()

            let resumed = try await fx.importFile(cancelled)
            #expect(resumed.stopped == nil, "\(String(describing: resumed.stopped))")
            let row = try #require(try await fx.ledger().order(sourceID: id))
            #expect(row.state == .superseded, "\(row.state)")
            #expect(row.guid == nil && row.supersededGuids.count == 1, "\(row)")
            #expect(resumed.counts[.rejected] == nil, "\(resumed.counts)")
            let writes = try await fx.calls().filter { $0.key.hasPrefix("PUT") || $0.key.hasPrefix("POST") }
            #expect(writes == calls.filter { $0.key.hasPrefix("PUT") || $0.key.hasPrefix("POST") }, "nothing sent again")
            #expect(try await fx.salesOrders().filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OMX500") }.count == 1)
        }
    }

    /// A run whose writes of its run row (checkpoint, counts) were lost is resumed by a process
    /// whose clock is an hour behind (another host): the orders the first process pushed are counted as what it
    /// did, not as `skipped` (the count once compared the rows' times with the resumed process's
    /// start, clocks of two processes).
    @Test func aResumedRunCountsWhatTheStoppedOneDidWhateverItsClock() async throws {
        try await PushFixture.with { fx in
            let orders = (0..<3).map { OM.order(id: String(format: "6e5e7f90-0a1b-4c2d-8e3f-%012d", $0), number: "OMK\(600 + $0)") }
            let path = fx.folder.appendingPathComponent("batch.json").path
            try Data(JSONValue.array(orders).serialized().utf8).write(to: URL(fileURLWithPath: path))
            let first = try await fx.importFile(path) { base in
                SilencingLedger(base) { changes in
                    changes.contains { if case .saveRun(let run) = $0 { return run.checkpoint > 0 }; return false }
                }
            }
            #expect(first.counts == [.created: 3], "\(first.counts)")
            var behind = PushOptions()
            behind.now = { Date().addingTimeInterval(-3600) }
            let resumed = try await fx.importFile(path, options: behind)
            #expect(resumed.resumedFrom == 0, "\(String(describing: resumed.resumedFrom))")
            #expect(resumed.counts == [.created: 3], "\(resumed.counts)")
            #expect(try await fx.calls()["POST /SalesOrders/{guid}"] == 3, "nothing sent again")
        }
    }
}
