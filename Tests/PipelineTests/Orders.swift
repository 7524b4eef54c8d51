import Batch
import Foundation
import Pipeline
import Rules

/// Small orders for tests, as JSON text.
enum Orders {
    /// A line item: `price` is the 4-decimal string Ordermentum sends.
    static func line(_ sku: String?, quantity: String = "1", price: String, taxable: Bool = true, productCode: String? = nil) -> String {
        let skuJSON = sku.map { #""SKU":"\#($0)","# } ?? ""
        let properties = productCode.map { #"{"unleashed_product_code":"\#($0)"}"# } ?? "{}"
        return #"{\#(skuJSON)"quantity":\#(quantity),"price":"\#(price)","taxable":\#(taxable),"product":{"properties":\#(properties)}}"#
    }

    /// An order with the given parts (JSON fragments).
    static func order(number: String = "OM1", properties: String = #"{"unleashed_customer_code":"C1"}"#, tags: String = "[]",
                      purchaser: String = #"{"id":"c1","retailerBillingEmail":"accounts@c1.example"}"#, lines: [String] = [], extra: String = "") -> String {
        #"{"id":"id-\#(number)","orderNumber":"\#(number)","status":"Placed","placedOn":"2019-04-08T22:16:31.902Z","#
            + #""deliveryDate":"2019-04-09T14:00:00.000Z","properties":\#(properties),"tags":\#(tags),"purchaser":\#(purchaser),"#
            + #""lineItems":[\#(lines.joined(separator: ","))]\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    /// The shipped rules' plan of an order.
    static func plan(_ json: String, overrides: [String] = [], state: OrderState = .neverPushed,
                     warehouses: Set<String> = [], explain: Bool = false, customer: String? = nil) throws -> OrderPlan {
        let pipeline = try Fixtures.shipped(overrides: overrides)
        return pipeline.plan(try Fixtures.record(json, customer: customer), state: state,
                             reference: ReferenceData(warehouses: warehouses), explain: explain)
    }
}
