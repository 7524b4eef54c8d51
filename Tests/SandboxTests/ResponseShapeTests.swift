import Batch
import Foundation
import HummingbirdTesting
@testable import Sandbox
import Testing

/// The response shapes of `docs/sandbox.md` "Recorded shapes", with the tests' own data (the
/// comparison with the real recordings is `RecordedShapeTests`).
@Suite struct ResponseShapeTests {
    @Test func datesGoOnTheWireWithTheSlashEscapedAndOtherSlashesDoNot() throws {
        let json = Array(#"{"a":"/Date(1528329600000)/","b":"https://x.example/a/b","c":"/Date(-5+1000)/","d":"x/Date(1)/","e":"/Date()/"}"#.utf8)
        let wire = String(decoding: WireDates.escaped(json), as: UTF8.self)
        #expect(wire == #"{"a":"\/Date(1528329600000)\/","b":"https://x.example/a/b","c":"\/Date(-5+1000)\/","d":"x/Date(1)/","e":"/Date()/"}"#)
        #expect(WireDates.escaped(Array(#"{"a":1}"#.utf8)) == Array(#"{"a":1}"#.utf8))
        #expect(try JSONValue.parse(WireDates.escaped(json)) == JSONValue.parse(json), "the same values once read")
    }

    @Test func anOrderIsAnsweredWithTheRecordedFieldsScalesAndEscapedDates() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            var body = Fixture.order(guid: guid)
            body["ExchangeRate"] = 2
            body["RequiredDate"] = "\\/Date(1741737600000)\\/"
            let created = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(body))
            #expect(created.status == .created, "\(created.errorDescription ?? "")")
            for answer in [created, try await client.call(.get, "/SalesOrders/\(guid)"), try await client.call(.get, "/SalesOrders")] {
                let text = String(decoding: answer.body.readableBytesView, as: UTF8.self)
                #expect(text.contains(#""OrderDate":"\/Date(1741564800000)\/""#))
                #expect(!text.contains(#""/Date("#))
            }
            let order = created.json
            #expect(order["RequiredDate"]?.stringValue == "/Date(1741737600000)/", "the escaped form is read on input")
            #expect(order["ExchangeRate"]?.numberValue?.text == "2.000000")
            #expect(order["TaxRate"]?.numberValue?.text == "0.100000")
            #expect(order["SubTotal"]?.numberValue?.text == "57.580")
            #expect(order["BCSubTotal"]?.numberValue?.text == "28.790", "base currency: ÷ ExchangeRate")
            #expect(order["BCTotal"]?.numberValue?.text == "31.670")
            #expect(order["XeroTaxCode"]?.stringValue == "G.S.T.")
            #expect(order["PaymentDueDate"] == order["OrderDate"])
            #expect(order["ReceivedDate"] == .null && order["SendAccountingJournalOnly"] == false)
            #expect(order["Tax"]?["Guid"]?.stringValue == RecordedShapes.zeroGuid)
            #expect(order["Warehouse"]?["Obsolete"] == false && order["Warehouse"]?["Suburb"] == .null)
            #expect(order["Customer"]?["CurrencyId"]?.numberValue?.int == 1)
            #expect(order["Currency"]?["Guid"]?.stringValue != nil)
            let line = try #require(order["SalesOrderLines"]?[0])
            #expect(line["OrderQuantity"]?.numberValue?.text == "2.0000")
            #expect(line["UnitPrice"]?.numberValue?.text == "28.7900")
            #expect(line["LineTotal"]?.numberValue?.text == "57.58000000")
            #expect(line["LineTax"]?.numberValue?.text == "5.760")
            #expect(line["BCUnitPrice"]?.numberValue?.text == "14.3950")
            #expect(line["DueDate"] == order["RequiredDate"], "a line's due date defaults to the order's required date")
            #expect(line["LineType"] == .null && line["XeroTaxCode"]?.stringValue == "G.S.T.")
            #expect(line["AverageLandedPriceAtTimeOfSale"]?.numberValue?.text == "0.00000000000000")
        }
    }

    @Test func chargeLinesAreRefusedThroughTheAPI() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            var body = Fixture.order(guid: guid)
            var lines = body["SalesOrderLines"]?.arrayValue ?? []
            lines.append(["LineType": "Charge", "Product": ["ProductDescription": "Delivery"], "OrderQuantity": 1,
                          "UnitPrice": 10, "LineTotal": 10, "LineTax": 1])
            body["SalesOrderLines"] = .array(lines)
            let refused = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(body))
            #expect(refused.status == .badRequest)
            #expect(refused.errorDescription?.hasPrefix("SalesOrderLines[1]: charge lines (LineType 'Charge') are added by Unleashed's own integrations") == true,
                    "\(refused.errorDescription ?? "")")
        }
    }

    @Test func aSeedMayHoldChargeLinesAnsweredAsRecorded() async throws {
        var configuration = Fixture.configuration()
        configuration.seed = (Fixture.seed + RecordedShapeTests.chargedOrderSeed, "seed")
        try await SandboxServer(configuration: configuration).application().test(.router) { client in
            let order = try await client.call(.get, "/SalesOrders/\(RecordedShapeTests.chargedOrderGuid)").json
            let charge = try #require(order["SalesOrderLines"]?[1])
            #expect(charge["LineType"]?.stringValue == "Charge")
            #expect(charge["LineNumber"]?.numberValue?.int == 0)
            #expect(charge["Product"] == ["Guid": .string(RecordedShapes.zeroGuid), "ProductCode": .null, "ProductDescription": "Delivery"])
            #expect(charge["UnitPrice"]?.numberValue?.text == "10.00" && charge["LineTax"]?.numberValue?.text == "1.00")
            #expect(charge["LastModifiedOn"] == .null && charge["XeroTaxCode"] == .null)
            #expect(order["Total"]?.numberValue?.text == "42.670", "the charge counts in the totals")
        }
    }

    @Test func anEmptyListAnswersPageZeroOfZero() async throws {
        try await Fixture.withSandbox { client, _ in
            let empty = try await client.call(.get, "/SalesOrders/3", query: "orderNumber=NONE")
            #expect(empty.json["Pagination"] == ["NumberOfItems": 0, "PageSize": 200, "PageNumber": 0, "NumberOfPages": 0])
        }
    }

    @Test func customersAndProductsHaveTheRecordedFieldsWithTheirDefaults() async throws {
        try await Fixture.withSandbox { client, _ in
            let customer = try await client.call(.post, "/Customers/\(Fixture.guid(5))",
                                                 body: ["CustomerCode": "C1", "CustomerName": "C One", "Email": "c@one.example",
                                                        "SalesPerson": ["Email": "ana@supplier.example"]]).json
            #expect(customer["Addresses"] == [] && customer["SellPriceTier"] == "" && customer["StopCredit"] == false)
            #expect(customer["Currency"]?["CurrencyCode"]?.stringValue == "AUD" && customer["Currency"]?["Guid"]?.stringValue != nil)
            #expect(customer["SalesPerson"]?["FullName"]?.stringValue == "Ana Alvarez")
            #expect(customer.objectValue?.keys.first == "Addresses" && customer.objectValue?.keys.last == "LastModifiedOn")
            let unknown = try await client.call(.post, "/Customers/\(Fixture.guid(6))",
                                                body: ["CustomerCode": "C2", "CustomerName": "C Two", "Email": "c@two.example",
                                                       "SalesPerson": ["Email": "nobody@supplier.example"]])
            #expect(unknown.errorDescription == "Sales person with email 'nobody@supplier.example' was not found.")
            let product = try await client.call(.post, "/Products/\(Fixture.guid(7))", body: ["ProductCode": "P1", "ProductDescription": "P"]).json
            #expect(product["SellPriceTier3"] == ["Name": "Sell Price Tier 3", "Value": .null])
            #expect(product["IsSellable"] == true && product["Obsolete"] == false && product["UnitOfMeasure"] == .null)
        }
    }
}
