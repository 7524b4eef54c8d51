import Batch
import Foundation
import Ledger
import Push
import Testing

/// `--quota`, `--concurrency` and orders of one id: against the live sandbox.
@Suite struct ImportLimitsTests {
    static func id(_ n: Int) -> String { String(format: "5a5e7f90-0a1b-4c2d-8e3f-%012d", n) }
    static func orders(_ count: Int) -> [JSONValue] {
        (0..<count).map { OM.order(id: id($0), number: "OMQ\(100 + $0)") }
    }

    @Test func aQuotaStopsCleanlyBeforeItIsExceededAndTheNextRunResumes() async throws {
        try await PushFixture.with { fx in
            var options = PushOptions()
            options.concurrency = 1
            options.quota = 12
            let first = try await fx.importOrders(Self.orders(8), options: options)
            guard case .budget(let used, let limit, _)? = first.stopped else {
                Issue.record("expected a stop at the budget, got \(String(describing: first.stopped))")
                return
            }
            #expect(limit == 12)
            #expect(used <= 12)
            let month = try await fx.ledger().calls(month: PushStage.month(Date())).values.reduce(0, +)
            #expect(month <= 12, "never more calls than the quota: \(month)")
            let server = try await fx.calls().values.reduce(0, +)
            #expect(server <= 12, "the sandbox saw \(server) calls")
            let created = first.counts[.created] ?? 0
            #expect(created > 0 && created < 8, "stopped part-way: \(created)")
            #expect(first.stopped?.description.contains("resets at") == true)

            let second = try await fx.importOrders(Self.orders(8))
            #expect(second.stopped == nil)
            #expect((second.counts[.created] ?? 0) + created == 8)
            let all = try await fx.salesOrders().filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OMQ") }
            #expect(all.count == 8, "every order once")
        }
    }

    /// The budget stops the run at its first order while the order after it (invalid, no call)
    /// is rejected: the resumed run handles both again and the summary counts each order once.
    @Test func aResumedRunCountsEachOrderOnce() async throws {
        let invalid = OM.order(id: Self.id(91), number: "OMQ191", customerCode: nil)
        // What a first run spends before its first order (the reference lists), on a sandbox of its own.
        let referenceCalls = try await PushFixture.with { fx in
            let summary = try await fx.importOrders([invalid])
            #expect(summary.counts[.rejected] == 1 && summary.calls["POST /SalesOrders/{guid}"] == nil, "\(summary.counts)")
            return summary.calls.values.reduce(0, +)
        }
        try await PushFixture.with { fx in
            let batch = [OM.order(id: Self.id(90), number: "OMQ190"), invalid, OM.order(id: Self.id(92), number: "OMQ192")]
            let path = fx.folder.appendingPathComponent("batch.json").path
            try Data(JSONValue.array(batch).serialized().utf8).write(to: URL(fileURLWithPath: path))
            var options = PushOptions()
            options.concurrency = 2
            options.quota = referenceCalls
            let first = try await fx.importFile(path, options: options)
            guard case .budget? = first.stopped else {
                Issue.record("expected a stop at the budget, got \(String(describing: first.stopped)) \(first.counts)")
                return
            }
            #expect(first.counts == [.rejected: 1], "the first order stopped, the second rejected: \(first.counts)")
            let stopped = try #require(try await fx.ledger().runs(limit: 1).first)
            #expect(stopped.checkpoint == 0 && stopped.counts.isEmpty, "the run row counts only what a resumed run will not handle again: \(stopped)")

            let second = try await fx.importFile(path)
            #expect(second.resumedFrom == 0, "\(String(describing: second.resumedFrom))")
            #expect(second.counts == [.created: 2, .rejected: 1], "each order once: \(second.counts)")
            #expect(second.counts.values.reduce(0, +) == second.total)
            let finished = try #require(try await fx.ledger().runs(limit: 1).first)
            #expect(finished.id == stopped.id && finished.counts == ["created": 2, "rejected": 1], "\(finished)")
        }
    }

    @Test func concurrentOrdersAreEachCreatedOnceAndOneIdNeverOverlaps() async throws {
        try await PushFixture.with { fx in
            var options = PushOptions()
            options.concurrency = 8
            // 24 orders, and the first order again, edited, at the end of the batch: the later copy
            // is the newest (same version, later in the batch), so the first copy is skipped as an
            // older one and only the edited one is created (no create-then-replace within one run).
            var batch = Self.orders(24)
            batch.append(OM.order(id: Self.id(0), number: "OMQ100", lines: [("COF-1KG", 6, "28.7900")]))
            let summary = try await fx.importOrders(batch, options: options)
            #expect(summary.counts[.created] == 24, "\(summary.counts)")
            #expect(summary.counts[.skipped] == 1 && summary.counts[.replaced] == nil, "the older copy is skipped, not replaced: \(summary.counts)")
            let live = try await fx.salesOrders().filter {
                ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OMQ") && $0["OrderStatus"]?.stringValue != "Deleted"
                    && $0.value(atPath: "Warehouse.WarehouseCode")?.stringValue != "OM_DELETE"
            }
            #expect(live.count == 24, "one live sales order per Ordermentum order: \(live.count)")
            let first = live.filter { $0["CustomerRef"]?.stringValue == "OMQ100" }
            #expect(first.count == 1)
            #expect(first.first?.value(atPath: "SalesOrderLines")?.arrayValue?.first?["OrderQuantity"]?.numberValue?.int == 6)
            let row = try await fx.ledger().order(sourceID: Self.id(0))
            #expect(row?.guid == first.first?["Guid"]?.stringValue)
        }
    }
}
