import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// Line and order money, exactly as Unleashed validates it.
@Suite struct MoneyTests {
    func money(_ lines: [String], extra: String = "", overrides: [String] = []) throws -> (JSONValue, OrderPlan) {
        let plan = try Orders.plan(Orders.order(lines: lines, extra: extra), overrides: overrides)
        return (plan.payload.jsonValue, plan)
    }

    func decimal(_ value: JSONValue?) -> ExactDecimal? { value?.numberValue?.decimal }

    @Test(arguments: [
        ("28.7900", "3", "86.37", "8.64"),      // 86.37 × 0.1 = 8.637 → 8.64
        ("3.3350", "1", "3.34", "0.33"),        // the half-cent boundary rounds away from zero
        ("0.0050", "1", "0.01", "0.00"),
        ("0.0500", "1", "0.05", "0.01"),        // 0.005 tax rounds up
        ("-2.5050", "1", "-2.51", "-0.25"),     // negative: half away from zero
        ("11.9950", "2", "23.99", "2.40"),
        ("1.1000", "0.5", "0.55", "0.06"),      // weighed goods
    ])
    func lineTotalAndTax(_ price: String, _ quantity: String, _ total: String, _ tax: String) throws {
        let (payload, plan) = try money([Orders.line("A", quantity: quantity, price: price)])
        #expect(decimal(payload[path: "SalesOrderLines[0].LineTotal"]) == ExactDecimal(total))
        #expect(decimal(payload[path: "SalesOrderLines[0].LineTax"]) == ExactDecimal(tax))
        #expect(decimal(payload["SubTotal"]) == ExactDecimal(total))
        #expect(decimal(payload["TaxTotal"]) == ExactDecimal(tax))
        #expect(plan.problems.filter { $0.severity == .error }.isEmpty)
    }

    @Test func moneyIsWrittenWithTwoDecimals() throws {
        let (payload, _) = try money([Orders.line("A", quantity: "2", price: "5.0000")])
        #expect(payload[path: "SalesOrderLines[0].LineTotal"]?.numberValue?.text == "10.00")
        #expect(payload[path: "SalesOrderLines[0].UnitPrice"]?.numberValue?.text == "5.0000")
    }

    @Test func nonTaxableLinesHaveNoTax() throws {
        let (payload, _) = try money([Orders.line("MILK", quantity: "12", price: "2.4500", taxable: false),
                                      Orders.line("COF", quantity: "3", price: "28.7900")])
        #expect(decimal(payload[path: "SalesOrderLines[0].LineTax"]) == ExactDecimal("0"))
        #expect(payload[path: "SalesOrderLines[0].LineTaxCode"]?.stringValue == "NONE")
        #expect(payload[path: "SalesOrderLines[1].LineTaxCode"]?.stringValue == "G.S.T.")
        #expect(decimal(payload["SubTotal"]) == ExactDecimal("115.77"))
        #expect(decimal(payload["TaxTotal"]) == ExactDecimal("8.64"))
        #expect(decimal(payload["Total"]) == ExactDecimal("124.41"))
    }

    @Test func freightLineIsAppendedAndTaxed() throws {
        let (payload, _) = try money([Orders.line("A", price: "10.0000")], extra: #""totalFreight":12.5"#)
        let freight = try #require(payload[path: "SalesOrderLines[1]"])
        #expect(freight["LineNumber"]?.numberValue?.int == 2)
        #expect(freight[path: "Product.ProductCode"]?.stringValue == "OM_FREIGHT")
        #expect(decimal(freight["LineTotal"]) == ExactDecimal("12.50"))
        #expect(decimal(freight["LineTax"]) == ExactDecimal("1.25"))
        #expect(decimal(payload["Total"]) == ExactDecimal("24.75"))
    }

    @Test func noFreightLineForZeroFreight() throws {
        let (payload, plan) = try money([Orders.line("A", price: "10.0000")], extra: #""totalFreight":0"#)
        #expect(plan.action == .create)
        let lines = try #require(payload["SalesOrderLines"]?.arrayValue)
        #expect(lines.count == 1, "the item line only, no freight line")
        #expect(lines.first?[path: "Product.ProductCode"]?.stringValue == "A")
        #expect(decimal(payload["Total"]) == ExactDecimal("11.00"))
    }

    @Test func totalMismatchIsAWarningWithBothFigures() throws {
        let (_, plan) = try money([Orders.line("A", quantity: "3", price: "28.7900")], extra: #""total":95.00"#)
        let warning = try #require(plan.problems.first { $0.code == .totalMismatch })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("95.00"))
        #expect(warning.message.contains("95.01"))
        #expect(plan.action == .create)
    }

    @Test func matchingTotalGivesNoWarning() throws {
        let (_, plan) = try money([Orders.line("A", quantity: "3", price: "28.7900")], extra: #""total":95.01"#)
        #expect(plan.problems.isEmpty)
    }

    static let discountRules = """
        version: 1
        sales_order:
          fields:
            Comments: order.note
          lines:
            each: order.lineItems
            when: line.quantity > 0
            fields:
              Product.ProductCode: line.SKU
              OrderQuantity: line.quantity
              UnitPrice: decimal(line.price)
              DiscountRate: line.discount ?? 0
            tax_rate: 0.1
            required: [Product.ProductCode]
          totals:
            places: 2
            rounding: half_even
        transitions:
          - otherwise: true
            do: create
        """

    @Test func discountAndTheRulesRoundingIsIgnoredForUnleashedsOwn() throws {
        let pipeline = try Fixtures.pipeline(Self.discountRules)
        let order = #"{"id":"o1","orderNumber":"OM1","lineItems":[{"SKU":"A","quantity":3,"price":"28.7900","discount":0.1},"#
            + #"{"SKU":"B","quantity":1,"price":"3.3450"},{"SKU":"C","quantity":0,"price":"1.0000"}]}"#
        let payload = pipeline.plan(try Fixtures.record(order)).payload.jsonValue
        #expect(decimal(payload[path: "SalesOrderLines[0].LineTotal"]) == ExactDecimal("77.73"))   // 86.37 × 0.9 = 77.733
        // `rounding: half_even` in the rules is ignored (W505): Unleashed refuses anything but half-up.
        #expect(decimal(payload[path: "SalesOrderLines[1].LineTotal"]) == ExactDecimal("3.35"))    // 3.345 half up
        #expect(payload[path: "SalesOrderLines[2]"] == nil, "lines.when filters the zero-quantity line")
        #expect(payload[path: "SalesOrderLines[1].LineNumber"]?.numberValue?.int == 2)
    }

    @Test func eachThatIsNotAListWarns() throws {
        let pipeline = try Fixtures.pipeline(Self.discountRules)
        let plan = pipeline.plan(try Fixtures.record(#"{"id":"o1","orderNumber":"OM1","lineItems":"oops"}"#))
        #expect(plan.problems.map(\.code) == [.linesNotList, .noLines])
        #expect(plan.payload.jsonValue["SalesOrderLines"]?.arrayValue?.isEmpty == true)
        #expect(plan.action == .invalid, "a new order without lines cannot be created")
    }

    @Test func quantityThatIsNotAnExactDecimalIsAnError() throws {
        let (payload, plan) = try money([Orders.line("A", quantity: "1e300", price: "1.0000")])
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first)
        #expect(problem.code == .money)
        #expect(problem.message.hasPrefix("line 1: OrderQuantity 1e300 is not an exact decimal"), "\(problem.message)")
        #expect(problem.rule?.line == 128, "located at the OrderQuantity field: \(String(describing: problem.rule))")
        #expect(payload["Total"] == nil, "the totals are left out rather than wrong")
    }

    // Issue 7, item 3: any overflow in the money path is the order's E-MONEY, naming field and value.
    @Test func aLineAmountTooLargeToRoundToTheCentIsAnError() throws {
        let price = "12345678901234567890123456789012345678"   // 38 digits: × 100 for two decimals overflows
        let (payload, plan) = try money([Orders.line("A", quantity: "1", price: price)])
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .money })
        #expect(problem.field == "SalesOrderLines[0].LineTotal")
        #expect(problem.message.contains("line 1: LineTotal = OrderQuantity 1 × UnitPrice \(price) is too large"), "\(problem.message)")
        #expect(payload[path: "SalesOrderLines[0].LineTotal"] == nil, "no unrounded amount is written")
        #expect(payload["SubTotal"] == nil && payload["Total"] == nil)
    }

    @Test func aQuantityBeyondTheBoundIsAnErrorBeforeAnyArithmetic() throws {
        let (payload, plan) = try money([Orders.line("A", quantity: "100000000000000000000000000000000000", price: "9.9900")])
        #expect(plan.action == .invalid)
        #expect(plan.problems.map(\.code) == [.money])
        #expect(plan.problems.first?.field == "SalesOrderLines[0].OrderQuantity")
        #expect(plan.problems.first?.message.contains("OrderQuantity 100000000000000000000000000000000000 is beyond what omsync sends (at most 999999999.9999)") == true,
                "\(plan.problems.first?.message ?? "")")
        #expect(payload["Total"] == nil)
    }

    @Test func aProductThatOverflowsIsAnError() throws {
        let (_, plan) = try money([Orders.line("A", quantity: "999999999", price: "100000000000000000000000000000.0000")])
        #expect(plan.action == .invalid)
        #expect(plan.problems.map(\.code) == [.money])
        #expect(plan.problems.first?.message.contains("is too large to compute exactly") == true, "\(plan.problems.first?.message ?? "")")
    }

    @Test func aTotalBeyondTheBoundOrFarAboveOrdermentumsOwnIsAnError() throws {
        let (_, large) = try money([Orders.line("A", quantity: "999999999", price: "99999.0000")])
        #expect(large.action == .invalid && large.problems.map(\.code) == [.money], "\(large.problems)")
        #expect(large.problems.first?.message.contains("is beyond what omsync sends (at most 999999999999.99)") == true, "\(large.problems)")
        let absurd = try Orders.plan(Orders.order(lines: [Orders.line("A", quantity: "1000", price: "28.7900")], extra: #""total":31.67"#))
        #expect(absurd.action == .invalid, "\(absurd.problems)")
        #expect(absurd.problems.first { $0.code == .money }?.message.contains("is more than 10 times Ordermentum's own total 31.67") == true, "\(absurd.problems)")
        // A difference that is not absurd stays a warning.
        let close = try Orders.plan(Orders.order(lines: [Orders.line("A", quantity: "3", price: "28.7900")], extra: #""total":95.00"#))
        #expect(close.action == .create && close.problems.map(\.code).contains(.totalMismatch), "\(close.problems)")
    }

    @Test func sumsThatOverflowAreOneErrorNamingTheField() throws {
        let big = "1000000000000000000000000000000000000"   // 37 digits: one line fits, two do not
        let (payload, plan) = try money([Orders.line("A", price: big), Orders.line("B", price: big), Orders.line("C", price: big)])
        #expect(plan.action == .invalid)
        let money = plan.problems.filter { $0.code == .money }
        #expect(money.count == 1, "said once, not once per line: \(money.map(\.message))")
        #expect(money.first?.field == "SubTotal")
        #expect(money.first?.message.contains("up to line 2") == true, "\(money.first?.message ?? "")")
        #expect(payload["SubTotal"] == nil && payload["Total"] == nil)
    }

    @Test func aTotalThatOverflowsIsAnError() throws {
        let (payload, plan) = try money([Orders.line("A", price: "1600000000000000000000000000000000000")])
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .money })
        #expect(problem.field == "Total")
        #expect(problem.message.contains("Total = SubTotal 1600000000000000000000000000000000000.00 + TaxTotal 160000000000000000000000000000000000.00"),
                "\(problem.message)")
        #expect(payload["Total"] == nil)
    }

    @Test func discountThatIsNotANumberIsAnError() throws {
        let order = #"{"id":"o1","orderNumber":"OM1","lineItems":[{"SKU":"A","quantity":1,"price":"1.0000","discount":"ten"}]}"#
        let plan = try Fixtures.pipeline(Self.discountRules).plan(try Fixtures.record(order))
        #expect(plan.problems.map(\.code) == [.money])
        #expect(plan.problems.first?.message.contains("line 1: DiscountRate ten is not an exact decimal") == true)
        #expect(plan.action == .invalid)
    }

    // Issue 7, item 10: a price that is there but cannot be read is shown, not called missing.
    @Test(arguments: ["1,234.50", "1e999", "1234567890123456789012345678901234567890"])
    func anUnreadablePriceIsShownWithItsValue(_ price: String) throws {
        let plan = try Orders.plan(Orders.order(number: "OM8", lines: [Orders.line("A", price: price)]))
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .lineRequired })
        #expect(problem.field == "SalesOrderLines[0].UnitPrice")
        #expect(problem.message.contains("UnitPrice could not be read from the order: line.price is \"\(price)\""), "\(problem.message)")
        #expect(!problem.message.contains("has no UnitPrice"))
    }

    @Test func missingRequiredLineFieldNamesLineAndField() throws {
        let plan = try Orders.plan(Orders.order(number: "OM7", lines: [Orders.line("A", price: "1.0000"), Orders.line(nil, price: "2.0000")]))
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first)
        #expect(problem.code == .lineRequired)
        #expect(problem.field == "SalesOrderLines[1].Product.ProductCode")
        #expect(problem.message.hasPrefix("line 2 (order.lineItems[1]) has no Product.ProductCode"), "\(problem.message)")
        #expect(problem.rule?.line == 127, "located at the Product.ProductCode field: \(String(describing: problem.rule))")
    }

    @Test func productCodeFromProductPropertyWinsOverSKU() throws {
        let (payload, _) = try money([Orders.line("CUP-8OZ", price: "1.0000", productCode: "U-CUP-8")])
        #expect(payload[path: "SalesOrderLines[0].Product.ProductCode"]?.stringValue == "U-CUP-8")
    }
}
