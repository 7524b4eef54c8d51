import Batch
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing
import UnleashedContract

@Suite struct CustomerProductTests {
    @Test func customersAreCreatedThenUpdatedByTheSamePost() async throws {
        let clock = TestClock()
        try await Fixture.withSandbox(clock: clock) { client, _ in
            let guid = Fixture.guid(11)
            let created = try await client.call(.post, "/Customers/\(guid)",
                                                body: ["CustomerCode": "NEW01", "CustomerName": "New Venue", "Email": "a@new.example"])
            #expect(created.status == .created)
            #expect(created.json["Guid"]?.stringValue == guid)
            #expect(created.json["CreatedOn"]?.stringValue == "/Date(\(Fixture.startMs))/")
            clock.advance(by: 1000)
            let updated = try await client.call(.post, "/Customers/\(guid)", body: ["CustomerName": "Renamed Venue"])
            #expect(updated.status == .created, "an update by POST answers 201 too, as Unleashed does (recorded)")
            #expect(updated.json["CustomerName"]?.stringValue == "Renamed Venue")
            #expect(updated.json["Email"]?.stringValue == "a@new.example")
            #expect(updated.json["CreatedOn"] == created.json["CreatedOn"])
            #expect(updated.json["LastModifiedOn"]?.stringValue == "/Date(\(Fixture.startMs + 1000))/")
            #expect(try await client.call(.get, "/Customers/\(guid)").json == updated.json)
            let order = Fixture.order(guid: Fixture.guid(1), customer: "new01")
            #expect(try await client.call(.post, "/SalesOrders/\(Fixture.guid(1))", body: .object(order)).status == .created)
        }
    }

    @Test(arguments: [
        (["CustomerName": "X", "Email": "x@x.example"] as JSONValue, "Customer code is required (CustomerCode)."),
        (["CustomerCode": "X1", "Email": "x@x.example"] as JSONValue, "Customer name is required (CustomerName)."),
        (["CustomerCode": "X1", "CustomerName": "X"] as JSONValue, "A customer needs a contact: ContactFirstName, ContactLastName or Email is required."),
        (["CustomerCode": "acme", "CustomerName": "X", "ContactFirstName": "Al"] as JSONValue, "CustomerCode 'acme' is already used by another customer."),
        (["CustomerCode": "X1", "CustomerName": "X", "Email": "x@x.example", "Currency": ["CurrencyCode": "EUR"]] as JSONValue, "Currency code 'EUR' was not found."),
        (["Guid": "00000000-0000-4000-8000-000000000099", "CustomerCode": "X1", "CustomerName": "X", "Email": "e"] as JSONValue,
         "The Guid in the body (00000000-0000-4000-8000-000000000099) does not match the Guid in the URL (00000000-0000-4000-8000-000000000011)."),
    ])
    func customerRules(body: JSONValue, message: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.post, "/Customers/\(Fixture.guid(11))", body: body)
            #expect(response.status == .badRequest)
            #expect(response.errorDescription == message)
        }
    }

    @Test(arguments: [
        ("customerCode=ac", ["ACME", "ACME2"]),
        ("customerCode=ACME2", ["ACME2"]),
        ("contactEmail=TWO@acme.example", ["ACME2"]),
        ("customerCode=zzz", [String]()),
    ])
    func customerFilters(query: String, codes: [String]) async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.get, "/Customers", query: query)
            #expect((response.json["Items"]?.arrayValue ?? []).compactMap { $0["CustomerCode"]?.stringValue } == codes)
        }
    }

    @Test func modifiedSinceFindsChangedCustomersAndProducts() async throws {
        let clock = TestClock()
        try await Fixture.withSandbox(clock: clock) { client, _ in
            clock.advance(by: 60_000)
            _ = try await client.call(.post, "/Customers/\(Fixture.guid(11))", body: ["CustomerCode": "LATE", "CustomerName": "Late", "Email": "l@x"])
            _ = try await client.call(.post, "/Products/\(Fixture.guid(12))", body: ["ProductCode": "LATE-P", "ProductDescription": "Late"])
            let since = "modifiedSince=" + DotNetDate.iso(milliseconds: Fixture.startMs + 1000)
            #expect(try await client.call(.get, "/Customers", query: since).json["Items"]?.arrayValue?.count == 1)
            #expect(try await client.call(.get, "/Products", query: since).json["Items"]?[0]?["ProductCode"] == "LATE-P")
        }
    }

    @Test func productsAreCreatedUpdatedAndFiltered() async throws {
        try await Fixture.withSandbox { client, _ in
            let guid = Fixture.guid(21)
            let created = try await client.call(.post, "/Products/\(guid)",
                                                body: ["ProductCode": "FREIGHT-X", "ProductDescription": "Freight", "NeverDiminishing": true])
            #expect(created.status == .created)
            #expect(created.json["NeverDiminishing"] == true)
            let updated = try await client.call(.post, "/Products/\(guid)", body: ["IsSellable": false])
            #expect(updated.json["IsSellable"] == false)
            #expect(updated.json["ProductCode"] == "FREIGHT-X")
            let listed = try await client.call(.get, "/Products", query: "productCode=fre")
            #expect(listed.json["Items"]?.arrayValue?.compactMap { $0["ProductCode"]?.stringValue } == ["FREIGHT-X"])
            #expect(try await client.call(.get, "/Products/\(guid)").json["Guid"]?.stringValue == guid)
        }
    }

    @Test(arguments: [
        (["ProductDescription": "No code"] as JSONValue, "Product code is required (ProductCode)."),
        (["ProductCode": "P1"] as JSONValue, "Product description is required (ProductDescription)."),
        (["ProductCode": "COF-1KG", "ProductDescription": "Dup"] as JSONValue, "ProductCode 'COF-1KG' is already used by another product."),
        (["ProductCode": "P1", "ProductDescription": "X", "NeverDiminishing": "yes"] as JSONValue, "NeverDiminishing must be true or false."),
    ])
    func productRules(body: JSONValue, message: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.post, "/Products/\(Fixture.guid(21))", body: body)
            #expect(response.status == .badRequest)
            #expect(response.errorDescription == message)
        }
    }
}
