import Batch
import Facts
import Foundation
import Pipeline
import Rules
import TestSupport
import Testing

/// One input for every plan problem code: a batch (read by the real `BatchReader`, so repeated
/// ids and exports' customers are what a user's file gives) planned through the shipped rules or
/// small rules of its own. Replaces a text search of the test sources, which proved nothing.
struct ProblemCodeCorpus {
    struct Entry: Sendable {
        /// Inline rules; nil: the shipped rules of `rules/`.
        var rules: String?
        /// The batch file's text.
        var batch: String
        /// Settings overrides (`key=value`).
        var overrides: [String] = []
        /// The order (0-based, in batch order) that must carry the code.
        var order = 0
    }

    static let line = Orders.line("A", price: "10.0000")

    static let entries: [ProblemCode: Entry] = [
        .propertyRequired: Entry(batch: "[" + Orders.order(properties: "{}", lines: [line]) + "]"),
        .lineRequired: Entry(batch: "[" + Orders.order(lines: [line, Orders.line(nil, price: "2.0000")]) + "]"),
        .expression: Entry(rules: ProblemCodeCatalogTests.rules, batch: #"[{"id":"o1","orderNumber":"OM1","t":"not a number"}]"#),
        .money: Entry(batch: "[" + Orders.order(lines: [Orders.line("A", quantity: "1e300", price: "1.0000")]) + "]"),
        .noLines: Entry(batch: "[" + Orders.order(lines: []) + "]"),
        .noTransition: Entry(rules: """
            version: 1
            sales_order:
              fields:
                Comments: order.comment
            transitions:
              - when: state.pushed
                do: skip
            """, batch: #"[{"id":"o5","orderNumber":"OM5"}]"#),
        .noID: Entry(batch: "[" + Orders.order(lines: [line]).replacingOccurrences(of: #""id":"id-OM1","#, with: "") + "]"),
        .negativeQuantity: Entry(batch: "[" + Orders.order(lines: [Orders.line("A", quantity: "-2", price: "10.0000")]) + "]"),
        .duplicateID: Entry(batch: "[" + Orders.order(lines: [line]) + "," + Orders.order(lines: [line]) + "]", order: 1),
        .customerNotInExport: Entry(batch: #"{"orders":[{"id":"o1","orderNumber":"OM1","status":"Placed","placedOn":"2019-04-08T22:16:31.902Z","purchaserId":"nobody","lineItems":[\#(line)]}],"customers":[{"id":"c1","properties":{"unleashed_customer_code":"C1"}}]}"#),
        .fieldTooLong: Entry(rules: MoneyTests.discountRules,   // Comments: order.note
                             batch: #"[{"id":"o1","orderNumber":"OM1","note":"\#(String(repeating: "é", count: 2_100))","lineItems":[\#(line)]}]"#),
        .linesNotList: Entry(batch: "[" + Orders.order(lines: []).replacingOccurrences(of: #""lineItems":[]"#, with: #""lineItems":{"SKU":"A"}"#) + "]"),
        .totalMismatch: Entry(batch: "[" + Orders.order(lines: [Orders.line("A", quantity: "3", price: "28.7900")], extra: #""total":95.00"#) + "]"),
        .badDate: Entry(batch: "[" + Orders.order(lines: [line]).replacingOccurrences(of: "2019-04-09T14:00:00.000Z", with: "next tuesday") + "]"),
        .unknownStatus: Entry(batch: "[" + Orders.order(lines: [line]).replacingOccurrences(of: #""status":"Placed""#, with: #""status":"Teleported""#) + "]"),
        .recordRequired: Entry(batch: "[" + Orders.order(purchaser: #"{"id":"c1","retailerName":"No Mail"}"#, lines: [line]) + "]"),
        .noVersion: Entry(batch: "[" + Orders.order(lines: [line], extra: #""updatedAt":"yesterday""#) + ","
                          + Orders.order(number: "OM2", lines: [line], extra: #""updatedAt":"2019-04-09T01:00:00.000Z""#) + "]"),
    ]

    /// The plans of every order of `entry`'s batch, on the one facts path (as a preview plans them).
    static func plans(_ entry: Entry) throws -> [OrderPlan] {
        let path = NSTemporaryDirectory() + "problem-corpus-\(UUID().uuidString).json"
        try Data(entry.batch.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pipeline = try entry.rules.map { try Fixtures.pipeline($0, overrides: entry.overrides) } ?? Fixtures.shipped(overrides: entry.overrides)
        let reader = try BatchReader(path: path)
        let facts = FactFinder(pipeline: pipeline, source: .assumed([]), copies: try NewestCopies.scan([path], pipeline: pipeline))
        var result: [OrderPlan] = []
        while let item = reader.next() {
            if case .record(let record) = item { result.append(facts.plan(record, at: NewestCopies.Position(batch: 0, index: record.index))) }
        }
        return result
    }

    @Test func everyCodeHasAnEntry() {
        let missing = ProblemCode.allCases.filter { Self.entries[$0] == nil }
        #expect(missing.isEmpty, "codes without a corpus input: \(missing.map(\.rawValue))")
    }

    @Test(arguments: ProblemCode.allCases)
    func thePipelineReportsTheCodeForItsInput(_ code: ProblemCode) throws {
        let entry = try #require(Self.entries[code], "no corpus input for \(code.rawValue)")
        let plans = try Self.plans(entry)
        let plan = try #require(plans[safe: entry.order], "the batch has \(plans.count) orders")
        let problem = try #require(plan.problems.first { $0.code == code },
                                   "\(code.rawValue) not reported; got \(plan.problems.map(\.description))")
        #expect(problem.severity == code.severity)
        #expect(!problem.message.isEmpty)
        if code.severity == .error, plan.action == .create || plan.action == .replace {
            Issue.record("an order with \(code.rawValue) must not be planned as \(plan.action)")
        }
        // The other orders of the batch do not carry it.
        for (index, other) in plans.enumerated() where index != entry.order {
            #expect(!other.problems.contains { $0.code == code }, "order \(index) also has \(code.rawValue)")
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
