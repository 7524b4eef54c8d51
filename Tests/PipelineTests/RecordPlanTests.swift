import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// `customer:` and `freight_product:`: the records created in Unleashed before the order.
@Suite struct RecordPlanTests {
    @Test func customerIsMappedFromTheOrdersCustomer() throws {
        let purchaser = #"{"id":"c1","retailerName":"Bean Counter","retailerBillingEmail":"accounts@bean.example","retailer":{"contactFirstName":"Sam"}}"#
        let plan = try Orders.plan(Orders.order(purchaser: purchaser, lines: [Orders.line("A", price: "1.0000")]))
        let customer = try #require(plan.customer).payload.jsonValue
        #expect(customer["CustomerCode"]?.stringValue == "C1")
        #expect(customer["CustomerName"]?.stringValue == "Bean Counter")
        #expect(customer["Email"]?.stringValue == "accounts@bean.example")
        #expect(customer[path: "Currency.CurrencyCode"]?.stringValue == "AUD")
        #expect(plan.problems.isEmpty)
    }

    @Test func noBillingEmailIsAWarningThatSaysWhatToDo() throws {
        let plan = try Orders.plan(Orders.order(number: "OM8", purchaser: #"{"id":"c1","retailerName":"No Mail"}"#,
                                                  lines: [Orders.line("A", price: "1.0000")]))
        let warning = try #require(plan.problems.first { $0.code == .recordRequired })
        #expect(warning.severity == .warning)
        #expect(warning.field == "customer.Email")
        #expect(warning.message.hasPrefix("customer Email has no value: the customer has no billing email"), "\(warning.message)")
        #expect(warning.rendered(for: plan.label).hasPrefix("order OM8 (index 0): customer Email has no value"))
        #expect(warning.rule?.file.hasSuffix("rules/omsync.yaml") == true, "located at the `required` entry: \(String(describing: warning.rule))")
        #expect(plan.action == .create, "a warning does not make the order invalid")
    }

    @Test func freightProductOnlyWithFreight() throws {
        let none = try Orders.plan(Orders.order(lines: [Orders.line("A", price: "1.0000")]))
        #expect(none.freightProduct == nil)
        let with = try Orders.plan(Orders.order(lines: [Orders.line("A", price: "1.0000")], extra: #""totalFreight":8.5"#))
        let product = try #require(with.freightProduct).payload.jsonValue
        #expect(product["ProductCode"]?.stringValue == "OM_FREIGHT")
        #expect(product["NeverDiminishing"]?.boolValue == true)
    }

    @Test func recordsAreInThePreviewRecord() throws {
        let plan = try Orders.plan(Orders.order(extra: #""totalFreight":8.5"#))
        let record = plan.jsonValue
        #expect(record[path: "customer.CustomerCode"]?.stringValue == "C1")
        #expect(record[path: "freightProduct.ProductCode"]?.stringValue == "OM_FREIGHT")
    }
}
