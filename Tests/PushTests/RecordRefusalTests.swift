import Batch
import Foundation
import Ledger
import Push
import Testing
import TestSupport

/// One bad record never stops the others: a customer Unleashed refuses to create rejects the
/// orders that need it, with Unleashed's reason, and is asked for once; the run goes on.
@Suite struct RecordRefusalTests {
    /// The shipped rules with the customer's contact fields (and the billing email requirement)
    /// taken out: the customer omsync sends then has no contact, which Unleashed refuses.
    static func rulesWithoutContacts(in folder: URL) throws -> String {
        let rules = folder.appendingPathComponent("rules-no-contact")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: Project.path("rules/omsync.yaml"), encoding: .utf8)
        for line in ["    Email: nonempty(customer.retailerBillingEmail)\n",
                     "    ContactFirstName: nonempty(customer.retailer.contactFirstName)\n",
                     "    ContactLastName: nonempty(customer.retailer.contactLastName)\n"] {
            #expect(text.contains(line), "the shipped rules changed: \(line)")
            text = text.replacingOccurrences(of: line, with: "")
        }
        let required = try #require(text.range(of: "    - field: Email\n"), "the shipped rules changed: the Email requirement")
        let next = try #require(text.range(of: "\n\n", range: required.upperBound..<text.endIndex))
        text.removeSubrange(required.lowerBound..<text.index(after: next.lowerBound))
        try text.write(to: rules.appendingPathComponent("omsync.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Project.path("rules/settings.yaml"), toPath: rules.appendingPathComponent("settings.yaml").path)
        return rules.path
    }

    @Test func aCustomerUnleashedRefusesRejectsItsOrdersAndTheRunGoesOn() async throws {
        try await PushFixture.with { fx in
            let rules = try Self.rulesWithoutContacts(in: fx.folder)
            // Six orders of a customer not in Unleashed (more than the five failures in a row that
            // stop a run as unreachable), then one of a customer that is.
            var orders = (1...6).map { n in
                OM.order(id: "7a000000-0000-4000-8000-00000000000\(n)", number: "OM3000\(n)", customerCode: "NOCONTACT",
                         customerID: "7c000000-0000-4000-8000-000000000001", customerName: "No Contact Cafe")
            }
            orders.append(OM.order(id: "7a000000-0000-4000-8000-000000000009", number: "OM30009"))
            var options = PushOptions()
            options.concurrency = 1
            let summary = try await fx.importOrders(orders, options: options, rules: rules)
            #expect(summary.stopped == nil, "\(String(describing: summary.stopped))")
            #expect(summary.counts[.rejected] == 6, "\(summary.counts)")
            #expect(summary.counts[.created] == 1, "\(summary.counts)")
            #expect(summary.counts[.failed] == nil, "\(summary.counts)")
            #expect(try await fx.salesOrders(customerRef: "OM30009").count == 1)
            // Asked once: the refusal stands for the rest of the run.
            #expect(try await fx.calls()["POST /Customers/{guid}"] == 1)
            let rejected = try await fx.ledger().logs(LogFilter(errorsOnly: true)).filter { $0.outcome == .rejected }
            #expect(rejected.count == 6, "\(rejected.map(\.message))")
            for entry in rejected {
                let message = entry.message ?? ""
                #expect(message.contains("customer 'NOCONTACT' does not exist in Unleashed, and Unleashed refused to create it")
                    && message.contains("A customer needs a contact"), "\(message)")
            }
            let row = try #require(try await fx.ledger().order(sourceID: "7a000000-0000-4000-8000-000000000001"))
            #expect(row.state == .rejected && row.guid == nil)
        }
    }
}
