import Batch
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing

@Suite struct SalesOrderTests {
    @Test func createReturnsTheOrderInUnleashedsShape() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            let response = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid, sourceId: "om-1")))
            #expect(response.status == .created)
            let order = response.json
            #expect(order["Guid"]?.stringValue == guid)
            #expect(order["OrderNumber"]?.stringValue == "SO-00000001")
            #expect(order["OrderStatus"]?.stringValue == "Parked")
            #expect(order["Customer"]?["CustomerName"]?.stringValue == "Acme Cafe")
            #expect(order["Customer"]?["Guid"]?.stringValue != nil)
            #expect(order["Warehouse"]?["WarehouseName"]?.stringValue == "Main")
            #expect(order["SalesOrderLines"]?[0]?["Product"]?["ProductDescription"]?.stringValue == "Coffee")
            #expect(order["SalesOrderLines"]?[0]?["LineTotal"]?.numberValue?.text == "57.58000000")
            #expect(order["Total"]?.numberValue?.text == "63.340")
            #expect(order["OrderDate"]?.stringValue == "/Date(1741564800000)/")
            #expect(order["CreatedOn"]?.stringValue == "/Date(\(Fixture.startMs))/")
            #expect(order["LastModifiedOn"] == order["CreatedOn"])
            #expect(order["LastModifiedBy"]?.stringValue == "api.user@sandbox.example")
            #expect(order["SourceId"]?.stringValue == "om-1")
            let fetched = try await client.call(.get, "/SalesOrders/\(guid.uppercased())")
            #expect(fetched.status == .ok)
            #expect(fetched.json == order)
        }
    }

    @Test func ordersWithoutNumberAreNumberedInSequenceSkippingTakenNumbers() async throws {
        try await Fixture.withSandbox { client, _ in
            _ = try await client.call(.post, "/SalesOrders/\(Fixture.guid(1))", body: .object(Fixture.order(guid: Fixture.guid(1), orderNumber: "SO-00000002")))
            let first = try await client.call(.post, "/SalesOrders/\(Fixture.guid(2))", body: .object(Fixture.order(guid: Fixture.guid(2))))
            let second = try await client.call(.post, "/SalesOrders/\(Fixture.guid(3))", body: .object(Fixture.order(guid: Fixture.guid(3))))
            #expect(first.json["OrderNumber"]?.stringValue == "SO-00000001")
            #expect(second.json["OrderNumber"]?.stringValue == "SO-00000003")
        }
    }

    @Test func aGuidCannotBeCreatedTwiceAndNumbersAreUnique() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(7)
            let body = JSONValue.object(Fixture.order(guid: guid, orderNumber: "OM-7"))
            #expect(try await client.call(.post, "/SalesOrders/\(guid)", body: body).status == .created)
            let again = try await client.call(.post, "/SalesOrders/\(guid)", body: body)
            #expect(again.status == .badRequest)
            #expect(again.errorDescription == "A sales order with Guid '\(guid)' already exists.")
            let other = Fixture.guid(8)
            let clash = try await client.call(.post, "/SalesOrders/\(other)", body: .object(Fixture.order(guid: other, orderNumber: "om-7")))
            #expect(clash.errorDescription == "Order number 'om-7' already exists.")
        }
    }

    @Test func updateReplacesAnOpenOrderAndBumpsLastModified() async throws {
        let clock = TestClock()
        try await Fixture.withSandbox(clock: clock) { client, _ in
            let guid = Fixture.guid(1)
            let created = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid))).json
            clock.advance(by: 60_000)
            var edited = try #require(created.objectValue)
            edited["Warehouse"] = ["WarehouseCode": "OM_DELETE"]
            edited["CustomerRef"] = "PO-1 DELETED"
            let response = try await client.call(.put, "/SalesOrders/\(guid)", body: .object(edited))
            #expect(response.status == .ok)
            #expect(response.json["Warehouse"]?["WarehouseCode"]?.stringValue == "OM_DELETE")
            #expect(response.json["CustomerRef"]?.stringValue == "PO-1 DELETED")
            #expect(response.json["OrderNumber"] == created["OrderNumber"])
            #expect(response.json["CreatedOn"] == created["CreatedOn"])
            #expect(response.json["LastModifiedOn"]?.stringValue == "/Date(\(Fixture.startMs + 60_000))/")
            let missing = try await client.call(.put, "/SalesOrders/\(Fixture.guid(9))", body: .object(Fixture.order(guid: Fixture.guid(9))))
            #expect(missing.status == .notFound)
        }
    }

    @Test func deleteIsSoftAndHidesTheOrderFromLists() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            _ = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            let deleted = try await client.call(.delete, "/SalesOrders/\(guid)")
            #expect(deleted.status == .ok)
            #expect(deleted.json["OrderStatus"]?.stringValue == "Deleted")
            #expect(try await client.call(.get, "/SalesOrders/\(guid)").json["OrderStatus"]?.stringValue == "Deleted")
            #expect(try await client.call(.get, "/SalesOrders").json["Items"]?.arrayValue?.count == 0)
            let asked = try await client.call(.get, "/SalesOrders", query: "orderStatus=Deleted")
            #expect(asked.json["Items"]?[0]?["Guid"]?.stringValue == guid)
        }
    }

    @Test(arguments: ["Completed", "Deleted"])
    func closedOrdersCannotBeModified(status: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            _ = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            _ = try await client.admin(.post, "edit/SalesOrders/\(guid)", body: ["set": ["OrderStatus": .string(status)]])
            let attempts = [
                try await client.call(.put, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid))),
                try await client.call(.delete, "/SalesOrders/\(guid)"),
                try await client.call(.post, "/SalesOrders/\(guid)/Complete"),
            ]
            for response in attempts {
                #expect(response.status == .badRequest)
                #expect(response.errorDescription == "Existing Order not in valid Status for Modification")
            }
        }
    }

    @Test(arguments: ["Parked", "Placed", "Backordered"])
    func openOrdersCanBeCompleted(status: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            _ = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid, status: status)))
            let completed = try await client.call(.post, "/SalesOrders/\(guid)/complete")
            #expect(completed.status == .ok)
            #expect(completed.json["OrderStatus"]?.stringValue == "Completed")
            #expect(completed.json["CompletedDate"]?.stringValue?.hasPrefix("/Date(") == true)
        }
    }

    @Test func anUpdateMaySetDeletedButACreateMayNot() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            let refused = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid, status: "Deleted")))
            #expect(refused.errorDescription == "OrderStatus 'Deleted' is not valid: use Parked, Placed, Backordered, Completed.")
            _ = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            let superseded = try await client.call(.put, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid, status: "deleted")))
            #expect(superseded.json["OrderStatus"]?.stringValue == "Deleted")
        }
    }

    @Test func routingErrorsUseUnleashedsStatuses() async throws {
        try await Fixture.withSandbox { client, _ in
            let unknown = try await client.call(.get, "/Invoices")
            #expect(unknown.status == .notFound)
            let noGuid = try await client.call(.post, "/SalesOrders", body: .object(Fixture.order(guid: Fixture.guid(1))))
            #expect(noGuid.status == .methodNotAllowed)
            #expect(noGuid.errorDescription == "The requested resource does not support http method 'POST'.")
            #expect(try await client.call(.put, "/Customers/\(Fixture.guid(1))").status == .methodNotAllowed)
            #expect(try await client.call(.post, "/Warehouses/\(Fixture.guid(1))").status == .methodNotAllowed)
            #expect(try await client.call(.get, "/SalesOrders/not-a-guid").status == .notFound)
            let badGuid = try await client.call(.post, "/SalesOrders/not-a-guid", body: .object(Fixture.order(guid: Fixture.guid(1))))
            #expect(badGuid.status == .badRequest)
            #expect(try await client.call(.get, "/SalesOrders/\(Fixture.guid(42))").status == .notFound)
            #expect(try await client.call(.get, "/salesorders").status == .ok)
        }
    }
}
