import Batch
import Foundation
import Ledger
import Push
import Testing

/// Issue 21, item 4: every warning a preview shows reaches the import (a `warning` log row that
/// `logs --errors` lists, a count in the summary), and an absurd quantity or total stops the
/// order instead of reaching Unleashed.
@Suite struct ImportWarningsTests {
    static func order(_ id: String, _ number: String, quantity: String, total: String?) -> JSONValue {
        var order = OM.order(id: id, number: number, lines: [("COF-1KG", 1, "28.7900")]).objectValue ?? JSONObject()
        if case .array(var lines)? = order["lineItems"], case .object(var line)? = lines.first {
            line["quantity"] = (try? JSONValue.parse(quantity)) ?? .string(quantity)
            lines[0] = .object(line)
            order["lineItems"] = .array(lines)
        }
        if let total { order["total"] = (try? JSONValue.parse(total)) ?? .null }
        return .object(order)
    }

    /// A replace is planned again with the original from Unleashed: its warnings (here: no
    /// `updatedAt`, W-NO-VERSION) stay on that plan and reach the log like a create's.
    @Test func aReplacesWarningsAreKeptWhenItIsPlannedAgainstTheOriginal() async throws {
        try await PushFixture.with { fx in
            let id = "8b1d0000-0000-4000-8000-000000000009"
            _ = try await fx.importOrders([OM.order(id: id, number: "OMW9")], name: "a.json")
            let edited = OM.order(id: id, number: "OMW9", lines: [("COF-1KG", 5, "28.7900")])
            let summary = try await fx.importOrders([edited], name: "b.json")
            #expect(summary.counts == [.replaced: 1] && summary.warned == 1, "\(summary.counts) \(summary.warned)")
            let warnings = try await fx.ledger().logs(LogFilter(orderNumber: "OMW9")).filter { $0.outcome == .warning }
            #expect(warnings.count == 2 && warnings.last?.action == .replace && warnings.last?.message?.contains("W-NO-VERSION") == true,
                    "\(warnings.map(\.message))")
        }
    }

    @Test func warningsReachTheLogAndTheSummaryAndAbsurdAmountsStopTheOrder() async throws {
        try await PushFixture.with { fx in
            let orders = [
                // 3 × 28.79 = 86.37 + 10 % tax = 95.01; Ordermentum says 95.00: a warning, the order goes through.
                Self.order("8b1d0000-0000-4000-8000-000000000001", "OMW1", quantity: "3", total: "95.00"),
                Self.order("8b1d0000-0000-4000-8000-000000000002", "OMW2", quantity: "1e30", total: "31.67"),
                Self.order("8b1d0000-0000-4000-8000-000000000003", "OMW3", quantity: #""1000000000000000000000000000000""#, total: "31.67"),
                // Within every limit, but 1,000 × Ordermentum's own total: a wrong quantity.
                Self.order("8b1d0000-0000-4000-8000-000000000004", "OMW4", quantity: "1000", total: "31.67"),
            ]
            let summary = try await fx.importOrders(orders)
            #expect(summary.counts == [.created: 1, .rejected: 3], "\(summary.counts)")
            #expect(summary.warned == 1)
            let flagged = try await fx.ledger().logs(LogFilter(errorsOnly: true))
            let warning = try #require(flagged.first { $0.outcome == .warning }, "\(flagged.map(\.message))")
            #expect(warning.orderNumber == "OMW1" && warning.message?.contains("warning[W-TOTAL-MISMATCH]") == true, "\(warning)")
            for number in ["OMW2", "OMW3", "OMW4"] {
                let row = try #require(flagged.first { $0.orderNumber == number && $0.outcome == .rejected }, "\(number) rejected")
                #expect(row.message?.contains("E-MONEY") == true || row.message?.contains("is beyond what omsync sends") == true
                        || row.message?.contains("times Ordermentum's own total") == true, "\(row.message ?? "")")
            }
            #expect(try await fx.salesOrders().filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OMW") }.count == 1,
                    "no absurd order reaches Unleashed")
        }
    }
}
