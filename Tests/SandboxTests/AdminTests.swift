import Batch
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import NIOCore
import Testing
import UnleashedContract

@Suite struct AdminTests {
    @Test func stateShowsEveryCollectionAndResetGoesBackToTheSeed() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            _ = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            let state = try await client.admin(.get, "state").json
            #expect(state["version"]?.numberValue?.int == 1)
            #expect(state["salesOrders"]?.arrayValue?.count == 1)
            #expect(state["customers"]?.arrayValue?.count == 3)
            #expect(state["nextOrderNumber"]?.numberValue?.int == 2)
            #expect(state["calls"]?["total"]?.numberValue?.int == 1)
            for resource in Resource.allCases { #expect(state[resource.seedKey]?.arrayValue != nil) }
            #expect(try await client.admin(.post, "reset").status == .ok)
            let after = try await client.admin(.get, "state").json
            #expect(after["salesOrders"]?.arrayValue?.count == 0)
            #expect(after["nextOrderNumber"]?.numberValue?.int == 1)
            #expect(after["calls"]?["total"]?.numberValue?.int == 0)
            #expect(try await client.call(.get, "/SalesOrders/\(guid)").status == .notFound)
        }
    }

    @Test func faultsCanBeReadAndChangedKeyByKey() async throws {
        try await Fixture.withSandbox { client, _ in
            let before = try await client.admin(.get, "faults").json
            #expect(before["errorRate"] == Fixture.number("0.0"))
            #expect(before["quota"] == .null)
            let after = try await client.admin(.put, "faults", body: ["throttleRate": Fixture.number("0.25"), "quota": 10, "seed": 9]).json
            #expect(after["throttleRate"] == Fixture.number("0.25"))
            #expect(after["quota"] == 10)
            #expect(after["seed"] == 9)
            #expect(after["errorRate"] == Fixture.number("0.0"))
            #expect(try await client.admin(.get, "faults").json == after)
            let cleared = try await client.admin(.put, "faults", body: ["quota": nil]).json
            #expect(cleared["quota"] == .null)
        }
    }

    @Test func aWebAppEditBumpsLastModifiedAndNamesThePerson() async throws {
        let clock = TestClock()
        try await Fixture.withSandbox(clock: clock) { client, _ in
            let guid = Fixture.guid(1)
            let created = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid))).json
            clock.advance(by: 5000)
            let edit = try await client.admin(.post, "edit/SalesOrders/\(guid)",
                                              body: ["set": ["OrderStatus": "completed", "Comments": "rang the customer", "Warehouse": "SYD"]])
            #expect(edit.status == .ok)
            let order = try await client.call(.get, "/SalesOrders/\(guid)").json
            #expect(order["OrderStatus"]?.stringValue == "Completed")
            #expect(order["Comments"]?.stringValue == "rang the customer")
            #expect(order["Warehouse"]?["WarehouseName"]?.stringValue == "Sydney")
            #expect(order["LastModifiedBy"]?.stringValue == "web.user@example.com")
            #expect(order["LastModifiedOn"]?.stringValue == "/Date(\(Fixture.startMs + 5000))/")
            #expect(order["CreatedOn"] == created["CreatedOn"])
            let named = try await client.admin(.post, "edit/SalesOrders/\(guid)", body: ["set": ["Comments": "again"], "by": "kim@supplier.example"])
            #expect(named.json["LastModifiedBy"]?.stringValue == "kim@supplier.example")
            let since = DotNetDate.iso(milliseconds: Fixture.startMs + 1)
            let changed = try await client.call(.get, "/SalesOrders", query: "modifiedSince=\(since)&orderStatus=Completed")
            #expect(changed.json["Items"]?.arrayValue?.count == 1)
        }
    }

    @Test func webAppEditsAreCheckedForWhatTheyName() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            _ = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            _ = try await client.call(.post, "/SalesOrders/\(Fixture.guid(3))", body: .object(Fixture.order(guid: Fixture.guid(3), orderNumber: "OM-3")))
            let cases: [(String, JSONValue, HTTPResponse.Status, String)] = [
                ("edit/SalesOrders/\(guid)", ["set": ["OrderNumber": "om-3"]], .badRequest, "OrderNumber 'om-3' is already used by another record."),
                ("edit/SalesOrders/\(Fixture.guid(2))", ["set": ["Comments": "x"]], .notFound, "No SalesOrders record was found with Guid '\(Fixture.guid(2))'."),
                ("edit/SalesOrders/\(guid)", ["set": ["Guid": "x"]], .badRequest, "Guid cannot be edited."),
                ("edit/SalesOrders/\(guid)", ["set": ["OrderStatus": "Lost"]], .badRequest, "OrderStatus must be one of Parked, Placed, Backordered, Completed, Deleted."),
                ("edit/SalesOrders/\(guid)", ["set": ["Warehouse": "MEL"]], .badRequest, "WarehouseCode 'MEL' was not found."),
                ("edit/SalesOrders/\(guid)", ["Comments": "x"], .badRequest, "The body needs \"set\": an object of the fields to change."),
                ("edit/Invoices/\(guid)", ["set": [:]], .notFound, "Unknown collection 'Invoices'."),
            ]
            for (path, body, status, message) in cases {
                let response = try await client.admin(.post, path, body: body)
                #expect(response.status == status)
                #expect(response.errorDescription == message)
            }
        }
    }

    @Test func callsAreCountedPerEndpointAndAdminCallsAreNot() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(1)
            _ = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            _ = try await client.call(.get, "/SalesOrders/\(guid)")
            _ = try await client.call(.get, "/SalesOrders")
            _ = try await client.call(.get, "/SalesOrders/2")
            _ = try await client.call(.get, "/Nowhere")
            _ = try await client.admin(.get, "state")
            let calls = try await client.admin(.get, "calls").json
            #expect(calls["byEndpoint"] == [
                "(unknown endpoint)": 1, "GET /SalesOrders": 1, "GET /SalesOrders/{guid}": 1, "GET /SalesOrders/{page}": 1, "POST /SalesOrders/{guid}": 1,
            ])
            #expect(calls["total"] == 5)
            #expect(calls["quotaUsed"] == 5, "every request of the account counts, the unrouted one too")
            #expect(calls["month"] == "2026-11")
        }
    }

    // Issue 7, item 16: raw unknown paths are counted under one key, so a client cannot grow the
    // meter's state without bound; known endpoints are counted by their template.
    @Test func unknownPathsShareOneCounter() async throws {
        try await Fixture.withSandbox { client, _ in
            for n in 0..<50 {
                _ = try await client.call(.get, "/Nowhere\(n)")
                _ = try await client.call(.get, "/SalesOrders/x\(n)/y")
            }
            _ = try await client.call(.get, "/SalesOrders/123456789012345678901234567")
            let calls = try await client.admin(.get, "calls").json
            let keys = calls["byEndpoint"]?.objectValue?.keys ?? []
            #expect(keys.sorted() == ["(unknown endpoint)", "GET /SalesOrders/{page}"], "\(keys)")
            #expect(calls["byEndpoint"]?["(unknown endpoint)"] == 100)
        }
    }

    @Test func unknownAdminCallsAre404() async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.admin(.delete, "state")
            #expect(response.status == .notFound)
            #expect(response.errorDescription?.contains("docs/sandbox.md") == true)
        }
    }
}

@Suite struct LoopbackTests {
    @Test(arguments: [("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("10.0.0.7", false), ("192.168.1.2", false), ("::2", false)])
    func onlyLoopbackPeersReachTheAdminAPI(ip: String, allowed: Bool) throws {
        #expect(SandboxRequestContext.isLoopback(try SocketAddress(ipAddress: ip, port: 5000)) == allowed)
    }
}
