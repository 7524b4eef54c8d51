import Batch
import Foundation
import HummingbirdTesting
@testable import Sandbox
import Testing
import UnleashedContract
import TestSupport

/// The sandbox answers in the shape of the real API: for each sales order, customer, product and
/// warehouse recorded from Unleashed (`../shared/data/unleashed-real`, tiers A and B), the sandbox's
/// answer has the recording's field names, JSON types, number scales and date form (values aside).
///
/// Runs only where the recordings exist (they are not in the repository); elsewhere the suite is
/// skipped, and Swift Testing reports it as skipped with the reason below.
@Suite(.enabled(if: RecordedAnswers.available, "skipped: ../shared/data/unleashed-real (the recorded Unleashed answers) is not on this machine"))
struct RecordedShapeTests {
    /// Fields the sandbox writes that no recording of that kind has, each for a stated reason.
    static let sandboxOnly: [String: Set<String>] = [
        // No recorded customer is newer than 2014; orders (2018) and products (2021) carry both.
        "Customer": ["CreatedOn", "LastModifiedBy"],
    ]
    /// Recorded fields the sandbox leaves out: Unleashed has since dropped them.
    static let retired: [String: Set<String>] = [
        // Only in the 2013 product; from 2014 it is TaxablePurchase / TaxableSales.
        "Product": ["Taxable"],
    ]

    @Test func aSalesOrderCreatedThroughTheAPIHasTheShapeOfEveryRecordedOrder() async throws {
        let recorded = try Self.records(.salesOrders)
        #expect(recorded.count >= 25, "the recorded orders: \(recorded.count)")
        var configuration = Fixture.configuration()
        configuration.seed = (Fixture.seed + Self.chargedOrderSeed, "test seed with a charge line")
        try await SandboxServer(configuration: configuration).application().test(.router) { client in
            let guid = Fixture.guid(1)
            var body = Fixture.order(guid: guid)
            body["RequiredDate"] = "2025-03-12T00:00:00"
            body["CustomerRef"] = "PO 7"
            body["Comments"] = "leave at the back door"
            body["DeliveryName"] = "Acme Cafe"
            body["DeliveryCity"] = "Sydney"
            body["DeliveryMethod"] = "Van 1"
            let created = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(body))
            #expect(created.status == .created, "\(created.errorDescription ?? "")")
            let fetched = try await client.call(.get, "/SalesOrders/\(guid)")
            let page = try await client.call(.get, "/SalesOrders", query: "orderNumber=SO-00000001")
            // A seeded order with a delivery charge line, as other integrations add them.
            let charged = try await client.call(.get, "/SalesOrders/\(Self.chargedOrderGuid)")
            for answer in [created, fetched, page, charged] { Self.expectWireDates(answer) }
            let orders = [created.json, fetched.json, page.json["Items"]?[0] ?? .null]
            let sandboxCharge = charged.json["SalesOrderLines"]?.arrayValue?.first { $0["LineType"]?.stringValue == "Charge" }
            #expect(sandboxCharge != nil, "the seeded order keeps its charge line")
            let table = Self.kindTable(recorded, "SalesOrder")
            for sandbox in orders {
                let object = try #require(sandbox.objectValue)
                for (index, record) in recorded.enumerated() {
                    var issues: [String] = []
                    Self.compare(record, object, path: "SalesOrder", table: table, issues: &issues, lines: sandboxCharge)
                    #expect(issues.isEmpty, "recorded order \(index): \(issues.joined(separator: "; "))")
                }
            }
        }
    }

    @Test func aCustomerCreatedOrUpdatedThroughTheAPIHasTheRecordedShape() async throws {
        let recorded = try Self.records(.customers)
        #expect(recorded.count >= 15)
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(7)
            let body: JSONValue = ["CustomerCode": "NEW1", "CustomerName": "New Cafe", "Email": "new@cafe.example",
                                   "Currency": ["CurrencyCode": "NZD"]]
            let created = try await client.call(.post, "/Customers/\(guid)", body: body)
            #expect(created.status == .created, "\(created.errorDescription ?? "")")
            let updated = try await client.call(.post, "/Customers/\(guid)", body: ["CustomerName": "New Cafe Pty Ltd"])
            #expect(updated.status == .created, "an update by POST answers 201 too, as recorded")
            let fetched = try await client.call(.get, "/Customers/\(guid)")
            try Self.expectShape(of: [created, updated, fetched], like: recorded, kind: "Customer")
        }
    }

    @Test func aProductCreatedOrUpdatedThroughTheAPIHasTheRecordedShape() async throws {
        let recorded = try Self.records(.products)
        #expect(recorded.count >= 90)
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(8)
            let created = try await client.call(.post, "/Products/\(guid)", body: ["ProductCode": "TEA-1", "ProductDescription": "Tea"])
            #expect(created.status == .created, "\(created.errorDescription ?? "")")
            let updated = try await client.call(.post, "/Products/\(guid)", body: ["ProductDescription": "Green tea"])
            #expect(updated.status == .created)
            let fetched = try await client.call(.get, "/Products/\(guid)")
            try Self.expectShape(of: [created, updated, fetched], like: recorded, kind: "Product")
        }
    }

    /// Warehouses cannot be created through the API (a read-only list): the seeded ones are compared
    /// with the recorded warehouses, standalone (one, 2014) and nested whole in the recorded orders (2014–2020).
    @Test func warehousesHaveTheRecordedShape() async throws {
        let standalone = try Self.records(.warehouses)
        #expect(!standalone.isEmpty)
        let recorded = try standalone + Self.records(.salesOrders).compactMap { $0["Warehouse"]?.objectValue }
        try await Fixture.withSandbox { client, _ in
            let list = try await client.call(.get, "/Warehouses")
            Self.expectWireDates(list)
            let first = try #require(list.json["Items"]?[0]?.objectValue)
            let guid = try #require(first["Guid"]?.stringValue)
            let one = try await client.call(.get, "/Warehouses/\(guid)")
            try Self.expectShape(of: [one], like: recorded, kind: "Warehouse")
            var issues: [String] = []
            let table = Self.kindTable(recorded, "Warehouse")
            for record in recorded { Self.compare(record, first, path: "Warehouse", table: table, issues: &issues) }
            #expect(issues.isEmpty, "\(issues)")
        }
    }

    @Test func anEmptyListAnswersAsRecorded() async throws {
        let file = try #require(RecordedAnswers.files(.salesOrders).first { (try? $0.records().isEmpty) == true })
        let recorded = try #require(try file.json()["Pagination"])
        try await Fixture.withSandbox { client, _ in
            let answer = try await client.call(.get, "/SalesOrders", query: "orderNumber=NO-SUCH-ORDER")
            #expect(answer.status == .ok)
            #expect(answer.json["Pagination"]?["PageNumber"] == recorded["PageNumber"])
            #expect(answer.json["Pagination"]?["NumberOfPages"] == recorded["NumberOfPages"])
            #expect(answer.json["Pagination"]?["NumberOfItems"] == recorded["NumberOfItems"])
            #expect(answer.json["Items"]?.arrayValue?.isEmpty == true)
        }
    }

    // MARK: Comparing shapes

    static let chargedOrderGuid = "5a1d0c2e-0000-4000-8000-0000000000c1"
    /// A seeded order with a delivery charge (a charge line: no product, `LineNumber` 0).
    static let chargedOrderSeed = """

        salesOrders:
          - Guid: \(chargedOrderGuid)
            OrderNumber: SO-00000100
            OrderStatus: Parked
            Customer: { CustomerCode: ACME }
            Warehouse: { WarehouseCode: MAIN }
            ExchangeRate: 1
            Tax: { TaxCode: G.S.T. }
            TaxRate: 0.1
            SalesOrderLines:
              - { LineNumber: 1, Product: { ProductCode: COF-1KG }, OrderQuantity: 1, UnitPrice: 28.79, LineTotal: 28.79, LineTax: 2.88 }
              - { LineType: Charge, Product: { ProductDescription: Delivery }, OrderQuantity: 1, UnitPrice: 10, LineTotal: 10, LineTax: 1 }
            SubTotal: 38.79
            TaxTotal: 3.88
            Total: 42.67
        """

    /// The recorded records of one kind (tiers A and B).
    static func records(_ kind: RecordedAnswers.Kind) throws -> [JSONObject] {
        try RecordedAnswers.files(kind).flatMap { try $0.records() }
    }

    /// The JSON kind of a value; a string holding a `/Date(ms)/` is its own kind (the date form).
    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string(let text): DotNetDate.parseDotNet(text) != nil ? "date" : "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Decimal places of a number as written.
    static func scale(_ value: JSONValue) -> Int? {
        guard let text = value.numberValue?.text else { return nil }
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text[text.index(after: dot)...].prefix { $0.isNumber }.count
    }

    /// For every field path of the recordings: the kinds and number scales seen, and the field names seen under each path.
    struct KindTable {
        var kinds: [String: Set<String>] = [:]
        var scales: [String: Set<Int>] = [:]
        var fields: [String: Set<String>] = [:]
    }

    static func kindTable(_ records: [JSONObject], _ root: String) -> KindTable {
        var table = KindTable()
        func walk(_ object: JSONObject, _ path: String) {
            for (key, value) in object {
                let field = "\(path).\(key)"
                table.fields[path, default: []].insert(key)
                table.kinds[field, default: []].insert(kind(value))
                if let scale = scale(value) { table.scales[field, default: []].insert(scale) }
                if let nested = value.objectValue { walk(nested, field) }
                for item in value.arrayValue ?? [] { if let nested = item.objectValue { walk(nested, field + "[]") } }
            }
        }
        for record in records { walk(record, root) }
        return table
    }

    /// Compares a recorded object with the sandbox's: every recorded field is there (unless retired),
    /// every sandbox field is one some recording has (or a stated sandbox-only one), and each value's
    /// kind and scale is one the recordings show for that field (null only where a recording has null;
    /// any kind where the recordings only ever show null, as the type is then unknown).
    static func compare(_ recorded: JSONObject, _ sandbox: JSONObject, path: String, table: KindTable, issues: inout [String],
                        lines charge: JSONValue? = nil) {
        let root = String(path.split(separator: ".").first ?? "")
        for (key, value) in recorded {
            guard let mine = sandbox[key] else {
                if !(retired[root]?.contains(key) ?? false) { issues.append("\(path).\(key) is missing") }
                continue
            }
            let field = "\(path).\(key)"
            let seen = table.kinds[field] ?? [kind(value)]
            let mineKind = kind(mine)
            if !seen.contains(mineKind), !seen.isSubset(of: ["null"]) {
                issues.append("\(field) is \(mineKind); recorded: \(seen.sorted().joined(separator: "|"))")
            }
            if let scale = scale(mine), let scales = table.scales[field], !scales.contains(scale) {
                issues.append("\(field) has \(scale) decimals (\(mine.numberValue?.text ?? "")); recorded: \(scales.sorted())")
            }
            if let nested = value.objectValue, let mineNested = mine.objectValue {
                compare(nested, mineNested, path: field, table: table, issues: &issues)
            }
            if key == "SalesOrderLines", let recordedLines = value.arrayValue, let mineLines = mine.arrayValue {
                for line in recordedLines.compactMap(\.objectValue) {
                    let isCharge = line["LineType"]?.stringValue == "Charge"
                    let counterpart = isCharge ? charge : mineLines.first { $0["LineType"]?.stringValue != "Charge" }
                    guard let counterpart = counterpart?.objectValue else {
                        issues.append("\(field): no sandbox \(isCharge ? "charge" : "product") line to compare")
                        continue
                    }
                    compare(line, counterpart, path: field + "[]", table: table, issues: &issues)
                }
            }
        }
        let known = (table.fields[path] ?? []).union(sandboxOnly[path] ?? [])
        for key in sandbox.keys where !known.contains(key) { issues.append("\(path).\(key) is in no recording") }
    }

    /// Each answer is one record in the shape of every recorded record of that kind, dates escaped on the wire.
    static func expectShape(of answers: [TestResponse], like recorded: [JSONObject], kind: String) throws {
        let table = kindTable(recorded, kind)
        for answer in answers {
            expectWireDates(answer)
            let sandbox = try #require(answer.json.objectValue, "\(answer.status)")
            for (index, record) in recorded.enumerated() {
                var issues: [String] = []
                compare(record, sandbox, path: kind, table: table, issues: &issues)
                #expect(issues.isEmpty, "recorded \(kind.lowercased()) \(index): \(issues.joined(separator: "; "))")
            }
        }
    }

    /// Dates on the wire are `"\/Date(ms)\/"`, as every raw recording writes them.
    static func expectWireDates(_ answer: TestResponse) {
        let text = String(decoding: answer.body.readableBytesView, as: UTF8.self)
        #expect(text.contains(#""\/Date("#), "an answer with dates: \(text.prefix(200))")
        #expect(!text.contains(#""/Date("#), "a date without the escaped slash: \(text.prefix(200))")
    }
}
