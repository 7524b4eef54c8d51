import Batch
import Foundation
import Pipeline
import Rules
import Testing
import UnleashedContract

/// Issue 7's open decisions, as docs/reliability.md records them: duplicate ids in a batch (a
/// warning; the later one wins), an order without an id (an error: it cannot be tracked), a
/// negative quantity (an error: returns are credit notes), a negative tax rate (an error on the
/// money); and item 12, an export order whose customer is missing.
@Suite struct DecisionTests {
    func plans(_ text: String) throws -> [OrderPlan] {
        let path = NSTemporaryDirectory() + "decisions-\(UUID().uuidString).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pipeline = try Fixtures.shipped()
        let reader = try BatchReader(path: path)
        var result: [OrderPlan] = []
        while let item = reader.next() {
            if case .record(let record) = item { result.append(pipeline.plan(record)) }
        }
        return result
    }

    static let line = Orders.line("A", price: "1.0000")

    @Test func aRepeatedIdWarnsOnTheLaterOrderAndBothArePlanned() throws {
        let first = Orders.order(number: "OM1", lines: [Self.line])
        let again = Orders.order(number: "OM1", lines: [Self.line, Orders.line("B", price: "2.0000")])
        let result = try plans("[" + first + "," + again + "]")
        #expect(result.map(\.action) == [.create, .create])
        #expect(result[0].problems.isEmpty)
        let warning = try #require(result[1].problems.first { $0.code == .duplicateID })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("same id as the order at index 0"))
    }

    @Test func anOrderWithoutAnIdIsAnError() throws {
        let json = Orders.order(lines: [Self.line]).replacingOccurrences(of: #""id":"id-OM1","#, with: "")
        let plan = try Orders.plan(json)
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .noID })
        #expect(problem.message.contains("has no id"))
        let empty = try Orders.plan(Orders.order(lines: [Self.line]).replacingOccurrences(of: #""id":"id-OM1""#, with: #""id":"""#))
        #expect(empty.problems.contains { $0.code == .noID })
    }

    @Test func aNegativeQuantityIsAnErrorNamingTheLine() throws {
        let plan = try Orders.plan(Orders.order(lines: [Self.line, Orders.line("B", quantity: "-2", price: "1.0000")]))
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .negativeQuantity })
        #expect(problem.field == "SalesOrderLines[1].OrderQuantity")
        #expect(problem.message.contains("line 2: OrderQuantity is -2"))
        let zero = try Orders.plan(Orders.order(lines: [Self.line, Orders.line("B", quantity: "0", price: "1.0000")]))
        #expect(!zero.problems.contains { $0.code == .negativeQuantity }, "zero is allowed")
    }

    @Test func aNegativeTaxRateIsAMoneyError() throws {
        let plan = try Orders.plan(Orders.order(lines: [Self.line]), overrides: ["tax_rate=-0.1"])
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .money })
        #expect(problem.message.contains("the tax rate -0.1 is negative"), "\(problem.message)")
        #expect(plan.payload.jsonValue["Total"] == nil)
    }

    /// An export order that embeds a stub of its purchaser (`{id, name}`) and references the
    /// export's whole customer record: the customer's properties come from the whole record.
    @Test func anExportCustomerRecordWinsOverAStubPurchaser() throws {
        let order = #"{"id":"o1","orderNumber":"OM1","status":"Placed","placedOn":"2019-04-08T22:16:31.902Z","purchaserId":"c1","purchaser":{"id":"c1","name":"Bean"},"lineItems":[\#(Self.line)]}"#
        let customer = #"{"id":"c1","name":"Bean Counter","properties":{"unleashed_customer_code":"BEAN001","unleashed_warehouse":"SYD"}}"#
        let plan = try #require(try plans(#"{"orders":[\#(order)],"customers":[\#(customer)]}"#).first)
        #expect(plan.payload.jsonValue.value(atPath: "Customer.CustomerCode")?.stringValue == "BEAN001", "\(plan.problems.map(\.message))")
        #expect(plan.payload.jsonValue.value(atPath: "Warehouse.WarehouseCode")?.stringValue == "SYD", "not the settings' default warehouse")
    }

    @Test func anExportOrderWhoseCustomerIsMissingSaysSo() throws {
        let order = #"{"id":"o1","orderNumber":"OM1","status":"Placed","placedOn":"2019-04-08T22:16:31.902Z","purchaserId":"nobody","lineItems":[\#(Self.line)]}"#
        let result = try plans(#"{"orders":[\#(order)],"customers":[{"id":"c1","properties":{"unleashed_customer_code":"C1"}}]}"#)
        let plan = try #require(result.first)
        let warning = try #require(plan.problems.first { $0.code == .customerNotInExport })
        #expect(warning.message.contains(#"no customer with id "nobody""#))
        let required = plan.problems.filter { $0.code == .propertyRequired }
        #expect(!required.isEmpty)
        #expect(required.allSatisfy { $0.message.contains(#"no customer with id "nobody" is in the export"#) }, "\(required.map(\.message))")
    }
}

/// Issue 8: a preview never plans a text Unleashed would refuse for length; it cuts it to the
/// contract's limit (`UnleashedFieldCatalogue`) and says so, naming the field and the limit.
@Suite struct FieldLimitTests {
    @Test func aCommentOverTheLimitIsCutWithAWarning() throws {
        let long = String(repeating: "é", count: 2_100)
        let pipeline = try Fixtures.pipeline(MoneyTests.discountRules)   // Comments: order.note
        let order = #"{"id":"o1","orderNumber":"OM1","note":"\#(long)","lineItems":[{"SKU":"A","quantity":1,"price":"1.0000"}]}"#
        let plan = pipeline.plan(try Fixtures.record(order))
        let comments = try #require(plan.payload.jsonValue["Comments"]?.stringValue)
        #expect(comments.count == 2048)
        let warning = try #require(plan.problems.first { $0.code == .fieldTooLong })
        #expect(warning.field == "Comments")
        #expect(warning.message.contains("Comments is 2100 long as Unleashed counts text (UTF-16 units), and Unleashed accepts at most 2048"), "\(warning.message)")
        #expect(warning.message.contains("(rule test.yaml:"), "\(warning.message)")
        #expect(plan.action == .create)
    }

    /// Issue 21, item 12: limits are counted as Unleashed (.NET, SQL Server) counts text: UTF-16
    /// units. 1,100 emoji are 1,100 characters but 2,200 units: over the 2,048 of Comments, cut
    /// between characters (never inside a surrogate pair); the sandbox refuses the uncut text.
    @Test func limitsAreCountedInUTF16UnitsAsUnleashedCountsThem() throws {
        let long = String(repeating: "😀", count: 1_100)
        let pipeline = try Fixtures.pipeline(MoneyTests.discountRules)
        let order = #"{"id":"o1","orderNumber":"OM1","note":"\#(long)","lineItems":[{"SKU":"A","quantity":1,"price":"1.0000"}]}"#
        let plan = pipeline.plan(try Fixtures.record(order))
        let comments = try #require(plan.payload.jsonValue["Comments"]?.stringValue)
        #expect(comments.utf16.count == 2048 && comments.count == 1024, "\(comments.utf16.count) units, \(comments.count) characters")
        #expect(plan.problems.contains { $0.code == .fieldTooLong })
        #expect(UnleashedText.prefix("a😀", 2) == "a", "a pair is never cut in half")
    }

    @Test func aSyncedOrderNumberOverTwentyIsCut() throws {
        let number = "OM-" + String(repeating: "9", count: 25)
        let plan = try Orders.plan(Orders.order(number: number, lines: [Orders.line("A", price: "1.0000")]), overrides: ["sync_order_number=true"])
        #expect(plan.payload.jsonValue["OrderNumber"]?.stringValue == String(number.prefix(20)))
        #expect(plan.problems.contains { $0.code == .fieldTooLong && $0.field == "OrderNumber" })
    }

    @Test func shortTextIsLeftAlone() throws {
        let plan = try Orders.plan(Orders.order(lines: [Orders.line("A", price: "1.0000")], extra: #""comment":"Leave at the back door""#))
        #expect(!plan.problems.contains { $0.code == .fieldTooLong })
    }
}
