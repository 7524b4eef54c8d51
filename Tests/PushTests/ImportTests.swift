import Batch
import Foundation
import Ledger
import Pipeline
import Push
import Facts
import Rules
import TestSupport
import Testing
import Unleashed

/// End to end, over real loopback HTTP with real signatures, a real SQLite ledger and the
/// shipped rules: one test per behaviour of ORDERMENTUM.md.
@Suite struct ImportTests {
    static let orderID = "3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e07"

    @Test func newOrderIsCreatedOnceAndReimportCreatesNothing() async throws {
        try await PushFixture.with { fx in
            let order = OM.order(id: Self.orderID, number: "OM20001")
            let first = try await fx.importOrders([order])
            #expect(first.counts[.created] == 1)
            #expect(first.stopped == nil)
            let created = try await fx.salesOrders(customerRef: "OM20001")
            #expect(created.count == 1)
            #expect(created.first?["SourceId"]?.stringValue == "ordermentum")
            #expect(created.first?.value(atPath: "Customer.CustomerCode")?.stringValue == "LOAF002")
            let row = try await fx.ledger().order(sourceID: Self.orderID)
            #expect(row?.state == .pushed)
            #expect(row?.guid == created.first?["Guid"]?.stringValue)
            let second = try await fx.importOrders([order], name: "again.json")
            #expect(second.counts[.created] == nil)
            #expect(second.counts[.skipped] == 1)
            #expect(try await fx.salesOrders(customerRef: "OM20001").count == 1)
            let posts = try await fx.calls()["POST /SalesOrders/{guid}"]
            #expect(posts == 1)
        }
    }

    @Test func editedOrderReplacesTheOriginalIntoOMDelete() async throws {
        try await PushFixture.with { fx in
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20002")])
            let edited = OM.order(id: Self.orderID, number: "OM20002", lines: [("COF-1KG", 5, "28.7900")])
            let summary = try await fx.importOrders([edited], name: "edited.json")
            #expect(summary.counts[.replaced] == 1)
            let orders = try await fx.salesOrders()
            let original = orders.first { $0["CustomerRef"]?.stringValue == "OM20002 DELETED" }
            #expect(original?.value(atPath: "Warehouse.WarehouseCode")?.stringValue == "OM_DELETE")
            let live = orders.filter { $0["CustomerRef"]?.stringValue == "OM20002" }
            #expect(live.count == 1)
            #expect(live.first?.value(atPath: "SalesOrderLines[0].OrderQuantity")?.numberValue?.int == 5)
            let row = try await fx.ledger().order(sourceID: Self.orderID)
            #expect(row?.supersededGuids == [original?["Guid"]?.stringValue ?? "?"])
            // The ledger keeps the payload sent for the replacement, and only it (issue 9's diff).
            let kept = try await fx.ledger().payloads()
            #expect(kept.map(\.hash) == [row?.payloadHash ?? "?"])
            let sent = try JSONValue.parse(try #require(kept.first).json)
            #expect(sent.value(atPath: "SalesOrderLines[0].OrderQuantity")?.numberValue?.int == 5)
            #expect(sent["CustomerRef"]?.stringValue == "OM20002")
            #expect(PayloadHash.of(Array(try #require(kept.first).json.utf8)) == row?.payloadHash,
                    "the shipped rules do not read state.changed: the payload sent is the one hashed")
        }
    }

    /// A create Unleashed refuses (its order number is taken): the order is rejected and the
    /// payload kept for the attempt goes, so the ledger keeps payloads of live orders only.
    @Test func aRefusedCreateLeavesNoPayloadBehind() async throws {
        try await PushFixture.with { fx in
            let first = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20031")], settings: ["sync_order_number=true"])
            #expect(first.counts[.created] == 1)
            let other = "6b8a7c2e-1111-4222-8333-944455556666"
            let clash = try await fx.importOrders([OM.order(id: other, number: "OM20031")], name: "clash.json", settings: ["sync_order_number=true"])
            #expect(clash.counts[.rejected] == 1, "\(clash.counts)")
            #expect(try await fx.calls()["POST /SalesOrders/{guid}"] == 2, "the clash is Unleashed's answer to the POST")
            let ledger = try fx.ledger()
            #expect(try await ledger.order(sourceID: other)?.lastError?.contains("OM20031") == true)
            #expect(try await ledger.payloads().map(\.sourceID) == [Self.orderID], "only the live order's payload")
        }
    }

    /// A create that landed while its answer was lost and the run died: the next run settles it
    /// (found by its GUID), keeps the payload that was sent for it and drops the order's others.
    @Test func aSettledCreateKeepsThePayloadSentForIt() async throws {
        try await PushFixture.with { fx in
            let order = OM.order(id: Self.orderID, number: "OM20021")
            _ = try await fx.importOrders([order])
            let ledger = try fx.ledger()
            var row = try #require(try await ledger.order(sourceID: Self.orderID))
            let hash = try #require(row.payloadHash)
            let sent = try #require(try await ledger.payload(sourceID: Self.orderID, hash: hash))
            // As a crash between the POST and its answer leaves the row, with a stale payload beside it.
            row.state = .creating
            row.pendingGuid = row.guid
            row.pendingHash = hash
            row.guid = nil
            row.payloadHash = nil
            try await ledger.commit([.saveOrder(row), .savePayload(PushedPayload(sourceID: Self.orderID, hash: "stale", json: "{}", recordedAt: Date()))])
            let again = try await fx.importOrders([order], name: "again.json")
            // Counted as created (this run learned that the create landed), but not sent again.
            #expect(again.counts[.created] == 1, "\(again.counts)")
            #expect(try await fx.calls()["POST /SalesOrders/{guid}"] == 1, "not created twice")
            let settled = try await ledger.order(sourceID: Self.orderID)
            #expect(settled?.state == .pushed && settled?.payloadHash == hash)
            #expect(try await ledger.payloads() == [sent])
        }
    }

    @Test func editedOrderWithoutOMDeleteSetsTheOriginalDeleted() async throws {
        try await PushFixture.with(seed: Self.seedWithoutOMDelete) { fx in
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20003")])
            let edited = OM.order(id: Self.orderID, number: "OM20003", lines: [("COF-1KG", 3, "28.7900")])
            let summary = try await fx.importOrders([edited], name: "edited.json")
            #expect(summary.counts[.replaced] == 1)
            let original = try await fx.salesOrders(customerRef: "OM20003 DELETED").first
            #expect(original?["OrderStatus"]?.stringValue == "Deleted")
        }
    }

    @Test func cancelledOrderIsSupersededAndNotRecreated() async throws {
        try await PushFixture.with { fx in
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20004")])
            let cancelled = OM.order(id: Self.orderID, number: "OM20004", cancelled: true)
            let summary = try await fx.importOrders([cancelled], name: "cancelled.json")
            #expect(summary.counts[.superseded] == 1)
            #expect(try await fx.salesOrders(customerRef: "OM20004").isEmpty)
            #expect(try await fx.salesOrders(customerRef: "OM20004 DELETED").count == 1)
            let again = try await fx.importOrders([cancelled], name: "cancelled-again.json")
            #expect(again.counts[.skipped] == 1)
            #expect(try await fx.salesOrders().filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OM20004") }.count == 1)
            // An older export, from before the cancellation, imported again: it brings nothing back.
            let older = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20004")], name: "older.json")
            #expect(older.counts == [.skipped: 1], "\(older.counts)")
            #expect(try await fx.salesOrders().filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OM20004") }.count == 1)
            #expect(try await fx.ledger().order(sourceID: Self.orderID)?.state == .superseded)
            let logs = try await fx.ledger().logs(LogFilter(orderNumber: "OM20004"))
            #expect(logs.last?.message?.contains("a copy of it that is not cancelled does not bring it back") == true, "\(logs.map(\.message))")
        }
    }

    @Test func orderChangedInUnleashedIsBlockedAndLogged() async throws {
        try await PushFixture.with { fx in
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20005")])
            let guid = try #require(try await fx.salesOrders(customerRef: "OM20005").first?["Guid"]?.stringValue)
            try await fx.editInWebApp(guid: guid, set: .object(JSONObject([("OrderStatus", .string("Completed"))])))
            let edited = OM.order(id: Self.orderID, number: "OM20005", lines: [("COF-1KG", 9, "28.7900")])
            let summary = try await fx.importOrders([edited], name: "edited.json")
            #expect(summary.counts[.blocked] == 1)
            let logs = try await fx.ledger().logs(LogFilter(orderNumber: "OM20005", errorsOnly: true))
            #expect(logs.contains { $0.outcome == .blocked && ($0.message ?? "").contains("Existing Order not in valid Status for Modification") })
            #expect(try await fx.salesOrders(customerRef: "OM20005").first?["OrderStatus"]?.stringValue == "Completed")
        }
    }

    @Test func missingCustomerIsCreatedWithItsBillingEmail() async throws {
        try await PushFixture.with { fx in
            let order = OM.order(id: Self.orderID, number: "OM20006", customerCode: "NEWCAFE",
                                 billingEmail: "billing@newcafe.example", customerID: "c-new", customerName: "New Cafe")
            let summary = try await fx.importOrders([order])
            #expect(summary.counts[.created] == 1)
            let customer = try await fx.records("customers").first { $0["CustomerCode"]?.stringValue == "NEWCAFE" }
            #expect(customer?["Email"]?.stringValue == "billing@newcafe.example")
            let mapping = try await fx.ledger().customerMapping(customerID: "c-new")
            #expect(mapping?.customerCode == "NEWCAFE")
            #expect(mapping?.origin == .created)
        }
    }

    /// A mapping set by hand (`omsync serve` saves one without asking Unleashed) names a code not
    /// in Unleashed yet: omsync creates that customer, and the mapping stays the hand's (with the
    /// new GUID), so the next import still applies it.
    @Test func aCustomerMappedByHandStaysMappedByHandWhenOmsyncCreatesIt() async throws {
        try await PushFixture.with { fx in
            try await fx.ledger().saveCustomerMapping(CustomerMapping(
                customerID: "c-hand", customerName: "Hand Cafe", customerCode: "HANDSET1", unleashedGuid: nil, origin: .manual,
                updatedAt: Date(timeIntervalSince1970: 1_764_669_600)))
            let order = OM.order(id: Self.orderID, number: "OM20010", customerCode: nil, customerID: "c-hand", customerName: "Hand Cafe")
            let summary = try await fx.importOrders([order])
            #expect(summary.counts[.created] == 1, "\(summary.counts)")
            let customer = try #require(try await fx.records("customers").first { $0["CustomerCode"]?.stringValue == "HANDSET1" })
            #expect(try await fx.salesOrders(customerRef: "OM20010").first?["Customer"]?["CustomerCode"]?.stringValue == "HANDSET1")
            let mapping = try await fx.ledger().customerMapping(customerID: "c-hand")
            #expect(mapping?.origin == .manual && mapping?.customerCode == "HANDSET1", "\(String(describing: mapping))")
            #expect(mapping?.unleashedGuid == customer["Guid"]?.stringValue)
            let again = try await fx.importOrders([order], name: "again.json")
            #expect(again.counts[.skipped] == 1, "\(again.counts)")
            #expect(try await fx.ledger().customerMapping(customerID: "c-hand")?.origin == .manual)
        }
    }

    /// A ledger-aware preview applies the customer mappings set by hand, as the import does, so
    /// the dry run shows what the import will send.
    @Test func aPreviewWithTheLedgerAppliesMappingsSetByHand() async throws {
        try await PushFixture.with { fx in
            try await fx.ledger().saveCustomerMapping(CustomerMapping(
                customerID: "c-mapped", customerName: "Mapped Cafe", customerCode: "LOAF002", unleashedGuid: nil, origin: .manual,
                updatedAt: Date(timeIntervalSince1970: 1_764_669_600)))
            let path = fx.folder.appendingPathComponent("mapped.json").path
            let order = OM.order(id: Self.orderID, number: "OM20011", customerCode: nil, customerID: "c-mapped", customerName: "Mapped Cafe")
            try Data(JSONValue.array([order]).serialized().utf8).write(to: URL(fileURLWithPath: path))
            let loaded = RuleLoader.load(directory: Project.path("rules"))
            let pipeline = try CompiledPipeline(ruleSet: try #require(loaded.ruleSet), settings: try #require(loaded.settings))
            guard case .record(let record)? = try BatchReader(path: path).next() else { Issue.record("no record"); return }
            let snapshot = try await LedgerSnapshot.load(from: try fx.ledger())
            let previewed = FactFinder(pipeline: pipeline, source: .ledger(snapshot)).plan(record)
            #expect(previewed.payload.jsonValue.value(atPath: "Customer.CustomerCode")?.stringValue == "LOAF002", "\(previewed.problems.map(\.message))")
            #expect(previewed.action == .create)
            // Without the mapping the order has no customer code at all.
            let bare = FactSource.ledger(LedgerSnapshot(rows: snapshot.rows))
            let unmapped = FactFinder(pipeline: pipeline, source: bare).plan(record)
            #expect(unmapped.action == .invalid)
            // And the import sends what the preview showed.
            _ = try await fx.importFile(path)
            #expect(try await fx.salesOrders(customerRef: "OM20011").first?["Customer"]?["CustomerCode"]?.stringValue == "LOAF002")
        }
    }

    @Test func missingCustomerWithoutBillingEmailIsRefusedBeforeAnyCall() async throws {
        try await PushFixture.with { fx in
            let order = OM.order(id: Self.orderID, number: "OM20007", customerCode: "NOMAIL", billingEmail: nil,
                                 customerID: "c-nomail", customerName: "No Mail Cafe")
            let summary = try await fx.importOrders([order])
            #expect(summary.counts[.rejected] == 1)
            let calls = try await fx.calls()
            #expect(calls["POST /Customers/{guid}"] == nil)
            #expect(calls["POST /SalesOrders/{guid}"] == nil)
            let logs = try await fx.ledger().logs(LogFilter(orderNumber: "OM20007"))
            #expect(logs.contains { ($0.message ?? "").contains("billing email") })
        }
    }

    @Test func missingFreightProductIsCreatedNeverDiminishing() async throws {
        try await PushFixture.with { fx in
            let order = OM.order(id: Self.orderID, number: "OM20008", freight: "12.5",
                                 extra: ["unleashed_freight_product_id": "FREIGHT-NEW"])
            let summary = try await fx.importOrders([order])
            #expect(summary.counts[.created] == 1)
            let product = try await fx.records("products").first { $0["ProductCode"]?.stringValue == "FREIGHT-NEW" }
            #expect(product?["NeverDiminishing"]?.boolValue == true)
            let created = try await fx.salesOrders(customerRef: "OM20008").first
            let codes = created?["SalesOrderLines"]?.arrayValue?.compactMap { $0.value(atPath: "Product.ProductCode")?.stringValue }
            #expect(codes?.contains("FREIGHT-NEW") == true)
            #expect(try await fx.ledger().createdProducts().map(\.productCode) == ["FREIGHT-NEW"])
        }
    }

    @Test func unknownWarehouseIsRejectedBeforeAnyWrite() async throws {
        try await PushFixture.with { fx in
            let order = OM.order(id: Self.orderID, number: "OM20009", warehouse: "NOWHERE")
            let summary = try await fx.importOrders([order])
            #expect(summary.counts[.rejected] == 1)
            #expect(try await fx.calls().keys.allSatisfy { $0.hasPrefix("GET ") })
            let log = try await fx.ledger().logs(LogFilter(orderNumber: "OM20009")).last
            #expect(log?.message?.contains("warehouse 'NOWHERE'") == true)
            #expect(log?.message?.contains("unleashed_warehouse") == true)
        }
    }

    @Test func precedenceOrderOverCustomerOverDefaultReachesUnleashed() async throws {
        try await PushFixture.with { fx in
            let withOrderLevel = OM.order(id: "p-1", number: "OM20010", warehouse: "SYD")
            let withDefault = OM.order(id: "p-2", number: "OM20011")
            let summary = try await fx.importOrders([withOrderLevel, withDefault])
            #expect(summary.counts[.created] == 2)
            #expect(try await fx.salesOrders(customerRef: "OM20010").first?.value(atPath: "Warehouse.WarehouseCode")?.stringValue == "SYD")
            #expect(try await fx.salesOrders(customerRef: "OM20011").first?.value(atPath: "Warehouse.WarehouseCode")?.stringValue == "MAIN")
        }
    }

    @Test func syncedOrderNumberMovesToTheReplacement() async throws {
        try await PushFixture.with { fx in
            let settings = ["sync_order_number=true"]
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20012")], settings: settings)
            #expect(try await fx.salesOrders(customerRef: "OM20012").first?["OrderNumber"]?.stringValue == "OM20012")
            let edited = OM.order(id: Self.orderID, number: "OM20012", lines: [("COF-1KG", 4, "28.7900")])
            let summary = try await fx.importOrders([edited], name: "edited.json", settings: settings)
            #expect(summary.counts[.replaced] == 1)
            #expect(try await fx.salesOrders(customerRef: "OM20012").first?["OrderNumber"]?.stringValue == "OM20012")
            let original = try await fx.salesOrders(customerRef: "OM20012 DELETED").first
            #expect(original?["OrderNumber"]?.stringValue != "OM20012")
        }
    }

    @Test func orderNumbersNotSyncedAreUnleashedsOwn() async throws {
        try await PushFixture.with { fx in
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20013")])
            let number = try await fx.salesOrders(customerRef: "OM20013").first?["OrderNumber"]?.stringValue
            #expect(number?.hasPrefix("SO-") == true, "Unleashed numbers the order when sync_order_number is off: \(number ?? "none")")
        }
    }

    /// sync_order_date: OrderDate = the delivery date (local), or the creation date when that is TBA.
    @Test func orderDateSyncedFromTheDeliveryDateOrTheCreationDateWhenTBA() async throws {
        try await PushFixture.with { fx in
            let settings = ["sync_order_date=true"]
            let dated = OM.order(id: Self.orderID, number: "OM20014", deliveryDate: "2019-04-11T14:00:00.000Z")
            let tba = OM.order(id: "3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e15", number: "OM20015", deliveryDate: "TBA")
            let summary = try await fx.importOrders([dated, tba], settings: settings)
            #expect(summary.counts[.created] == 2, "\(summary.counts)")
            func day(_ value: JSONValue?) -> String? {
                value?.stringValue.flatMap(DotNetDate.parse).map { ms in
                    let formatter = ISO8601DateFormatter()
                    formatter.formatOptions = [.withFullDate]
                    return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
                }
            }
            let first = try #require(try await fx.salesOrders(customerRef: "OM20014").first)
            #expect(day(first["OrderDate"]) == "2019-04-12", "the delivery date in Sydney: \(first["OrderDate"]?.serialized() ?? "")")
            #expect(day(first["RequiredDate"]) == "2019-04-12")
            let second = try #require(try await fx.salesOrders(customerRef: "OM20015").first)
            #expect(day(second["OrderDate"]) == "2019-04-09", "TBA: the creation date in Sydney: \(second["OrderDate"]?.serialized() ?? "")")
        }
    }

    @Test func droppedResponseAfterACreateIsNotADuplicate() async throws {
        try await PushFixture.with { fx in
            // Reference reads first (8 lists), then the create: its response is dropped after it landed.
            try await fx.scriptFaults(Array(repeating: "none", count: 8) + ["drop"])
            let summary = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20013")])
            #expect(summary.counts[.created] == 1)
            #expect(try await fx.salesOrders(customerRef: "OM20013").count == 1)
            #expect(try await fx.calls()["GET /SalesOrders/{guid}"] ?? 0 >= 1)
        }
    }

    static let seedWithoutOMDelete = """
        currencies: [{ CurrencyCode: AUD }]
        taxes: [{ TaxCode: G.S.T., TaxRate: 0.1 }, { TaxCode: NONE, TaxRate: 0 }]
        warehouses: [{ WarehouseCode: MAIN, WarehouseName: Main, IsDefault: true }]
        customers: [{ CustomerCode: LOAF002, CustomerName: Loaf Bakery Pty Ltd, ContactFirstName: Lou }]
        products: [{ ProductCode: COF-1KG, ProductDescription: Coffee }, { ProductCode: OM_FREIGHT, ProductDescription: Freight, NeverDiminishing: true }]
        """
}
