import Batch
import Foundation
import Ledger
import Push
import Testing

/// Issue 21, item 7: after a run stopped on unknown outcomes (every create's answer dropped), the
/// same import run again settles and finishes everything a clean run would: the checkpoint never
/// passes an order whose outcome is not known, nor one that was never attempted.
@Suite struct UnknownOutcomeRerunTests {
    static func id(_ n: Int) -> String { "7e2a0c11-0000-4000-8000-\(String(format: "%012d", n))" }

    @Test func aRerunAfterAStopOnUnknownOutcomesSettlesAndFinishesEveryOrder() async throws {
        try await PushFixture.with { fx in
            // The calls a run makes before its first order (reference data), from a run of one order and its rerun.
            let warm = [OM.order(id: Self.id(99), number: "OMU99")]
            _ = try await fx.importOrders(warm, name: "warm.json")
            let before = try await fx.calls().values.reduce(0, +)
            _ = try await fx.importOrders(warm, name: "warm.json")
            let reference = try await fx.calls().values.reduce(0, +) - before

            let batch = (0..<9).map { OM.order(id: Self.id($0), number: "OMU\($0)") }
            try await fx.scriptFaults(Array(repeating: "none", count: reference) + Array(repeating: "drop", count: 60))
            let first = try await fx.importOrders(batch, name: "unknown.json")
            #expect(first.stopped != nil, "the run stops once Unleashed answers nothing: \(first.counts)")
            try await fx.scriptFaults([])

            let second = try await fx.importOrders(batch, name: "unknown.json")
            #expect(second.stopped == nil, "\(String(describing: second.stopped))")
            for n in 0..<9 {
                let orders = try await fx.salesOrders(customerRef: "OMU\(n)")
                #expect(orders.count == 1, "OMU\(n): \(orders.count) sales orders after the rerun")
            }
            let rows = try await fx.ledger().orders(OrderFilter())
            let unsettled = rows.filter { $0.sourceID != Self.id(99) && $0.state != .pushed }
            #expect(unsettled.isEmpty, "every order pushed after one rerun: \(unsettled.map { "\($0.sourceID) \($0.state)" })")
        }
    }
}
