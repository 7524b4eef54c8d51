import Batch
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing

/// One rule: how to break a valid order, and the Description Unleashed's sandbox must answer with.
struct BrokenOrder: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: String
    let breakIt: @Sendable (inout JSONObject) -> Void

    var testDescription: String { name }

    static func line(_ change: @escaping @Sendable (inout JSONObject) -> Void) -> @Sendable (inout JSONObject) -> Void {
        { order in
            var line = order["SalesOrderLines"]?[0]?.objectValue ?? JSONObject()
            change(&line)
            order["SalesOrderLines"] = .array([.object(line)])
        }
    }
}

@Suite struct ValidationTests {
    static let rules: [BrokenOrder] = [
        .init(name: "customer code", expected: "Customer code is required (Customer.CustomerCode).") { $0["Customer"] = nil },
        .init(name: "warehouse code", expected: "Warehouse code is required (Warehouse.WarehouseCode).") { $0["Warehouse"] = ["WarehouseCode": ""] },
        .init(name: "status", expected: "Order status is required (OrderStatus).") { $0["OrderStatus"] = nil },
        .init(name: "exchange rate", expected: "ExchangeRate is required.") { $0["ExchangeRate"] = nil },
        .init(name: "tax code", expected: "Tax code is required (Tax.TaxCode).") { $0["Tax"] = nil },
        .init(name: "tax rate", expected: "Tax rate is required (TaxRate or Tax.TaxRate).") { $0["TaxRate"] = nil },
        .init(name: "subtotal", expected: "SubTotal is required.") { $0["SubTotal"] = nil },
        .init(name: "tax total", expected: "TaxTotal is required.") { $0["TaxTotal"] = nil },
        .init(name: "total", expected: "Total is required.") { $0["Total"] = .null },
        .init(name: "line number", expected: "SalesOrderLines[0]: LineNumber is required.", breakIt: BrokenOrder.line { $0["LineNumber"] = nil }),
        .init(name: "line product", expected: "Line 1: Product code is required (Product.ProductCode).", breakIt: BrokenOrder.line { $0["Product"] = nil }),
        .init(name: "line quantity", expected: "Line 1: OrderQuantity is required.", breakIt: BrokenOrder.line { $0["OrderQuantity"] = nil }),
        .init(name: "line price", expected: "Line 1: UnitPrice is required.", breakIt: BrokenOrder.line { $0["UnitPrice"] = nil }),
        .init(name: "line total", expected: "Line 1: LineTotal is required.", breakIt: BrokenOrder.line { $0["LineTotal"] = nil }),
        .init(name: "line tax", expected: "Line 1: LineTax is required.", breakIt: BrokenOrder.line { $0["LineTax"] = nil }),
        .init(name: "unknown customer", expected: "Customer code 'NOPE' was not found.") { $0["Customer"] = ["CustomerCode": "NOPE"] },
        .init(name: "unknown warehouse", expected: "Warehouse code 'MEL' was not found.") { $0["Warehouse"] = ["WarehouseCode": "MEL"] },
        .init(name: "unknown tax", expected: "Tax code 'VAT' was not found.") { $0["Tax"] = ["TaxCode": "VAT"] },
        .init(name: "tax rate differs from the code's", expected: "TaxRate 0.15 does not match the rate of tax code 'G.S.T.' (0.1).") {
            $0["TaxRate"] = Fixture.number("0.15")
        },
        .init(name: "purchase-only tax", expected: "Tax code 'INPUT' cannot be applied to revenue, so it cannot be used on a sales order.") {
            $0["Tax"] = ["TaxCode": "INPUT"]
        },
        .init(name: "unknown currency", expected: "Currency code 'USD' was not found.") { $0["Currency"] = ["CurrencyCode": "USD"] },
        .init(name: "unknown sales person", expected: "Sales person with email 'zed@x.example' was not found.") { $0["SalesPerson"] = ["Email": "zed@x.example"] },
        .init(name: "unknown group", expected: "Sales order group 'Pubs' was not found.") { $0["SalesOrderGroup"] = "Pubs" },
        .init(name: "unknown delivery method", expected: "Delivery method 'Drone' was not found.") { $0["DeliveryMethod"] = "Drone" },
        .init(name: "unknown product", expected: "Line 1: Product code 'TEA' was not found.", breakIt: BrokenOrder.line { $0["Product"] = ["ProductCode": "TEA"] }),
        .init(name: "unsellable product", expected: "Line 1: Product 'OLD-STOCK' is not sellable.", breakIt: BrokenOrder.line { $0["Product"] = ["ProductCode": "OLD-STOCK"] }),
        .init(name: "unknown line tax code", expected: "Line 1: Tax code 'VAT' was not found.", breakIt: BrokenOrder.line { $0["LineTaxCode"] = "VAT" }),
        .init(name: "line total arithmetic",
              expected: "Line 1: LineTotal 57.57 does not match round2(OrderQuantity × UnitPrice × (1 − DiscountRate)) = 57.58.",
              breakIt: BrokenOrder.line { $0["LineTotal"] = Fixture.number("57.57") }),
        .init(name: "line discount", expected: "Line 1: LineTotal 57.58 does not match round2(OrderQuantity × UnitPrice × (1 − DiscountRate)) = 51.82.",
              breakIt: BrokenOrder.line { $0["DiscountRate"] = Fixture.number("0.1") }),
        .init(name: "discount range", expected: "Line 1: DiscountRate must be between 0 and 1.", breakIt: BrokenOrder.line { $0["DiscountRate"] = 2 }),
        .init(name: "line tax arithmetic", expected: "Line 1: LineTax 5.75 does not match round2(LineTotal × TaxRate 0.1) = 5.76.",
              breakIt: BrokenOrder.line { $0["LineTax"] = Fixture.number("5.75") }),
        .init(name: "line tax code rate", expected: "Line 1: LineTax 5.76 does not match round2(LineTotal × TaxRate 0.05) = 2.88.",
              breakIt: BrokenOrder.line { $0["LineTaxCode"] = "HALF" }),
        .init(name: "subtotal sum", expected: "SubTotal 57.59 does not match the sum of the LineTotal values = 57.58.") { $0["SubTotal"] = Fixture.number("57.59") },
        .init(name: "tax total sum", expected: "TaxTotal 5.7 does not match the sum of the LineTax values = 5.76.") { $0["TaxTotal"] = Fixture.number("5.7") },
        .init(name: "total sum", expected: "Total 63.35 does not match SubTotal + TaxTotal = 63.34.") { $0["Total"] = Fixture.number("63.35") },
        .init(name: "order number length", expected: "OrderNumber is longer than 20 characters (21).") { $0["OrderNumber"] = .string(String(repeating: "9", count: 21)) },
        .init(name: "customer ref length", expected: "CustomerRef is longer than 500 characters (501).") { $0["CustomerRef"] = .string(String(repeating: "r", count: 501)) },
        .init(name: "comments length", expected: "Comments is longer than 2048 characters (2049).") { $0["Comments"] = .string(String(repeating: "c", count: 2049)) },
        .init(name: "delivery method length", expected: "DeliveryMethod is longer than 50 characters (51).") { $0["DeliveryMethod"] = .string(String(repeating: "d", count: 51)) },
        .init(name: "group length", expected: "SalesOrderGroup is longer than 50 characters (51).") { $0["SalesOrderGroup"] = .string(String(repeating: "g", count: 51)) },
        .init(name: "source id length", expected: "SourceId is longer than 500 characters (501).") { $0["SourceId"] = .string(String(repeating: "s", count: 501)) },
        .init(name: "unknown status", expected: "OrderStatus 'Shipped' is not valid: use Parked, Placed, Backordered, Completed.") { $0["OrderStatus"] = "Shipped" },
        .init(name: "exchange rate zero", expected: "ExchangeRate must be greater than 0.") { $0["ExchangeRate"] = 0 },
        .init(name: "guid mismatch", expected: "The Guid in the body (00000000-0000-4000-8000-000000000002) does not match the Guid in the URL (00000000-0000-4000-8000-000000000001).") {
            $0["Guid"] = .string(Fixture.guid(2))
        },
        .init(name: "guid missing from the body", expected: "Guid is required in the body, and must be the Guid in the URL (00000000-0000-4000-8000-000000000001).") {
            $0["Guid"] = nil
        },
        // Amounts are validated as sent: one not rounded to the cent is a mismatch, though it rounds to the right one.
        .init(name: "line total not rounded",
              expected: "Line 1: LineTotal 57.584 does not match round2(OrderQuantity × UnitPrice × (1 − DiscountRate)) = 57.58.",
              breakIt: BrokenOrder.line { $0["LineTotal"] = Fixture.number("57.584") }),
        .init(name: "line tax not rounded", expected: "Line 1: LineTax 5.7583 does not match round2(LineTotal × TaxRate 0.1) = 5.76.",
              breakIt: BrokenOrder.line { $0["LineTax"] = Fixture.number("5.7583") }),
        .init(name: "total not rounded", expected: "Total 63.340000001 does not match SubTotal + TaxTotal = 63.34.") {
            $0["Total"] = Fixture.number("63.340000001")
        },
        .init(name: "two tax rates", expected: "Tax.TaxRate 0.15 does not match TaxRate 0.1: send one rate.") {
            $0["Tax"] = ["TaxCode": "G.S.T.", "TaxRate": Fixture.number("0.15")]
        },
        .init(name: "number as text", expected: "Customer.CustomerCode must be a string.") { $0["Customer"] = ["CustomerCode": 12] },
        .init(name: "price not a number", expected: "Line 1: UnitPrice must be a number.", breakIt: BrokenOrder.line { $0["UnitPrice"] = "lots" }),
        // Issue 7, item 16b: a 40-digit amount is a number that does not fit, not "not a number".
        .init(name: "price of 40 digits (text)",
              expected: "Line 1: UnitPrice 1234567890123456789012345678901234567890 is out of range: it has 40 significant digits; at most 38 are allowed.",
              breakIt: BrokenOrder.line { $0["UnitPrice"] = "1234567890123456789012345678901234567890" }),
        .init(name: "price of 40 digits (number)",
              expected: "Line 1: UnitPrice -1234567890123456789012345678901234567890 is out of range: it has 40 significant digits; at most 38 are allowed.",
              breakIt: BrokenOrder.line { $0["UnitPrice"] = Fixture.number("-1234567890123456789012345678901234567890") }),
        .init(name: "total of 40 decimal places",
              expected: "Total 0.0000000000000000000000000000000000000001 is out of range: it has 40 decimal places; at most 38 are allowed.") {
            $0["Total"] = Fixture.number("0.0000000000000000000000000000000000000001")
        },
        .init(name: "quantity with a huge exponent",
              expected: "Line 1: OrderQuantity 1e400 is out of range: at most 38 significant digits and 38 decimal places are allowed.",
              breakIt: BrokenOrder.line { $0["OrderQuantity"] = "1e400" }),
        .init(name: "bad date", expected: "OrderDate '10/03/2025' is not a valid date (use 2025-03-10T00:00:00).") { $0["OrderDate"] = "10/03/2025" },
        .init(name: "duplicate line numbers", expected: "Line 1: LineNumber is used by more than one line.") { order in
            let line = order["SalesOrderLines"]?[0] ?? .null
            order["SalesOrderLines"] = .array([line, line])
        },
    ]

    @Test(arguments: rules)
    func eachRuleHasItsOwnDescription(rule: BrokenOrder) async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            var order = Fixture.order(guid: guid)
            rule.breakIt(&order)
            let response = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(order))
            #expect(response.status == .badRequest)
            #expect(response.errorDescription == rule.expected)
            #expect(response.json["DebugInformation"] == .null)
            #expect(try await client.call(.get, "/SalesOrders/\(guid)").status == .notFound)
        }
    }

    @Test func theValidOrderItselfPassesAndAmountsMayComeAsStrings() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            var order = Fixture.order(guid: guid)
            order["SubTotal"] = "57.5800"
            order["SalesOrderLines"] = .array([[
                "LineNumber": 1, "Product": ["ProductCode": "COF-1KG"], "OrderQuantity": "2",
                "UnitPrice": "28.7900", "LineTotal": "57.58", "LineTax": "5.76",
            ]])
            let response = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(order))
            #expect(response.status == .created)
            #expect(response.json["SubTotal"]?.numberValue?.text == "57.5800")
        }
    }

    @Test func moneyIsCheckedToTheCentWithHalfUpRounding() async throws {
        try await Fixture.withSandbox { client, _ in
            // 3 × 1.1116 = 3.3348 → 3.33, tax 0.333 → 0.33; 1 × 3.35 × (1 − 0.5) = 1.675 → 1.68 (half up), tax 0.168 → 0.17
            let guid = Fixture.guid(1)
            var order = Fixture.order(guid: guid)
            order["SalesOrderLines"] = .array([
                ["LineNumber": 1, "Product": ["ProductCode": "COF-1KG"], "OrderQuantity": 3, "UnitPrice": Fixture.number("1.1116"),
                 "LineTotal": Fixture.number("3.33"), "LineTax": Fixture.number("0.33")],
                ["LineNumber": 2, "Product": ["ProductCode": "MILK-2L"], "OrderQuantity": 1, "UnitPrice": Fixture.number("3.35"),
                 "DiscountRate": Fixture.number("0.5"), "LineTotal": Fixture.number("1.68"), "LineTax": Fixture.number("0.17")],
                ["LineNumber": 3, "Product": ["ProductCode": "OM_FREIGHT"], "OrderQuantity": 1, "UnitPrice": Fixture.number("12.50"),
                 "LineTotal": Fixture.number("12.5"), "LineTax": 0, "LineTaxCode": "NONE"],
            ])
            order["SubTotal"] = Fixture.number("17.51")
            order["TaxTotal"] = Fixture.number("0.50")
            order["Total"] = Fixture.number("18.01")
            let response = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(order))
            #expect(response.status == .created, "\(response.errorDescription ?? "")")
            #expect(response.json["SalesOrderLines"]?[2]?["LineTaxCode"]?.stringValue == "NONE")
        }
    }

    @Test func bodiesMustBeSentAsJSON() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            var headers = Fixture.headers(signing: "")
            headers[.contentType] = "text/plain"
            let plain = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)), headers: headers)
            #expect(plain.status == .unsupportedMediaType)
            #expect(plain.errorDescription == "Send the body as JSON with the header Content-Type: application/json.")
            headers[.contentType] = nil
            #expect(try await client.call(.post, "/Customers/\(guid)", body: ["CustomerCode": "X"], headers: headers).status == .unsupportedMediaType)
            headers[.contentType] = "Application/JSON; charset=utf-8"
            #expect(try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)), headers: headers).status == .created)
        }
    }

    @Test func unparsableBodiesAre500AndNonObjects400() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            let broken = try await client.execute(
                uri: "/SalesOrders/\(guid)", method: .post, headers: Fixture.headers(signing: ""), body: ByteBuffer(string: "{\"Guid\": "))
            #expect(broken.status == .internalServerError)
            #expect(broken.errorDescription?.hasPrefix("The request body could not be parsed as JSON") == true)
            let array = try await client.call(.post, "/SalesOrders/\(guid)", body: [1, 2])
            #expect(array.status == .badRequest)
            #expect(array.errorDescription == "The request body must be a JSON object.")
        }
    }
}
