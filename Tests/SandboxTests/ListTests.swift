import Batch
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing
import UnleashedContract

@Suite struct ListTests {
    /// Creates `count` orders: odd ones for ACME from MAIN, even ones for BEAN001 from SYD; order i has number OM-i and SourceId src-i.
    static func createOrders(_ count: Int, _ client: some TestClientProtocol, clock: TestClock? = nil) async throws {
        for i in 1...count {
            clock?.advance(by: 1000)
            let body = Fixture.order(guid: Fixture.guid(i), orderNumber: "OM-\(i)", customer: i % 2 == 1 ? "ACME" : "BEAN001",
                                     warehouse: i % 2 == 1 ? "MAIN" : "SYD", sourceId: "src-\(i)")
            let response = try await client.call(.post, "/SalesOrders/\(Fixture.guid(i))", body: .object(body))
            #expect(response.status == .created, "\(response.errorDescription ?? "")")
        }
    }

    static func numbers(_ response: TestResponse) -> [String] {
        (response.json["Items"]?.arrayValue ?? []).compactMap { $0["OrderNumber"]?.stringValue }
    }

    @Test func pagingFollowsThePathAndPageSize() async throws {
        try await Fixture.withSandbox { client, _ in
            try await Self.createOrders(5, client)
            let all = try await client.call(.get, "/SalesOrders")
            #expect(all.json["Pagination"] == ["NumberOfItems": 5, "PageSize": 200, "PageNumber": 1, "NumberOfPages": 1])
            let second = try await client.call(.get, "/SalesOrders/2", query: "pageSize=2")
            #expect(Self.numbers(second) == ["OM-3", "OM-4"])
            #expect(second.json["Pagination"] == ["NumberOfItems": 5, "PageSize": 2, "PageNumber": 2, "NumberOfPages": 3])
            let one = try await client.call(.get, "/SalesOrders/5", query: "pageSize=1")
            #expect(Self.numbers(one) == ["OM-5"])
            let beyond = try await client.call(.get, "/SalesOrders/4", query: "pageSize=2")
            #expect(beyond.status == .ok)
            #expect(Self.numbers(beyond) == [])
            #expect(beyond.json["Pagination"]?["NumberOfPages"]?.numberValue?.int == 3)
            let thousand = try await client.call(.get, "/SalesOrders", query: "pageSize=1000")
            #expect(thousand.json["Pagination"]?["PageSize"]?.numberValue?.int == 1000)
            #expect(Self.numbers(thousand).count == 5)
        }
    }

    @Test(arguments: ["pageSize=0", "pageSize=1001", "pageSize=abc"])
    func pageSizeOutOfRangeIsRefused(query: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.get, "/SalesOrders", query: query)
            #expect(response.status == .badRequest)
            #expect(response.errorDescription?.hasPrefix("pageSize must be a whole number from 1 to 1000") == true)
        }
    }

    @Test func aHugePageNumberIsJustBeyondTheLastPage() async throws {
        try await Fixture.withSandbox { client, _ in
            // One order, so the list is not empty (an empty one answers PageNumber 0, as recorded).
            _ = try await client.call(.post, "/SalesOrders/\(Fixture.guid(1))", body: .object(Fixture.order(guid: Fixture.guid(1))))
            let response = try await client.call(.get, "/SalesOrders/\(Int.max)", query: "pageSize=1000")
            #expect(response.status == .ok)
            #expect(response.json["Items"] == [])
            #expect(response.json["Pagination"]?["PageNumber"]?.numberValue?.text == String(Int.max))
        }
    }

    // Issue 7, item 16c: a 23-digit page was a 404 where page 0 was a 400.
    @Test(arguments: ["0", "-3", "+0", "9223372036854775808", "12345678901234567890123"])
    func aPageNumberThatIsNotOneOrMoreIsRefusedAlike(_ page: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.get, "/SalesOrders/" + page)
            #expect(response.status == .badRequest, "a 23-digit page is the same 400 as page 0, not a 404")
            #expect(response.errorDescription == "The page number must be a whole number from 1 to 9223372036854775807 (got \(page)).")
        }
    }

    @Test func theLargestPageThatFitsIsAnEmptyPage() async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.get, "/Customers/9223372036854775807")
            #expect(response.status == .ok)
            #expect(response.json["Items"] == [])
        }
    }

    @Test func aVeryLongPageNumberIsCutInTheMessage() async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.get, "/Taxes/" + String(repeating: "7", count: 500))
            #expect(response.status == .badRequest)
            #expect(response.errorDescription == "The page number must be a whole number from 1 to 9223372036854775807 (got \(String(repeating: "7", count: 40))…).")
        }
    }

    @Test func aThousandOrdersFillOnePageOfAThousand() async throws {
        try await Fixture.withSandbox { client, _ in
            try await Self.createOrders(1001, client)
            let first = try await client.call(.get, "/SalesOrders", query: "pageSize=1000")
            #expect(Self.numbers(first).count == 1000)
            #expect(first.json["Pagination"]?["NumberOfPages"]?.numberValue?.int == 2)
            let second = try await client.call(.get, "/SalesOrders/2", query: "pageSize=1000")
            #expect(Self.numbers(second) == ["OM-1001"])
            let defaultSize = try await client.call(.get, "/SalesOrders/6")
            #expect(Self.numbers(defaultSize) == ["OM-1001"])
        }
    }

    @Test(arguments: [
        ("orderNumber=om-3", ["OM-3"]),
        ("sourceId=src-4", ["OM-4"]),
        ("orderNumber=OM-3&customerCode=BEAN", ["OM-3"]),
        ("customerCode=acm", ["OM-1", "OM-3"]),
        ("customerCode=BEAN001&warehouseCode=SYD", ["OM-2", "OM-4"]),
        ("warehouseCode=syd", ["OM-2", "OM-4"]),
        ("orderStatus=Placed", ["OM-2"]),
        ("orderStatus=Parked,Placed", ["OM-1", "OM-2", "OM-3", "OM-4"]),
        ("orderStatus=Deleted,Completed", ["OM-5"]),
        ("", ["OM-1", "OM-2", "OM-3", "OM-4"]),
        ("orderNumber=OM-5", []),
        ("orderNumber=OM-5&orderStatus=Deleted", ["OM-5"]),
    ])
    func filtersSelectOrders(query: String, expected: [String]) async throws {
        try await Fixture.withSandbox { client, _ in
            try await Self.createOrders(5, client)
            _ = try await client.admin(.post, "edit/SalesOrders/\(Fixture.guid(2))", body: ["set": ["OrderStatus": "Placed"]])
            _ = try await client.call(.delete, "/SalesOrders/\(Fixture.guid(5))")
            let response = try await client.call(.get, "/SalesOrders", query: query)
            #expect(response.status == .ok)
            #expect(Self.numbers(response) == expected)
        }
    }

    @Test func onlyABareEndDateCoversItsWholeDay() throws {
        let day = try #require(DotNetDate.parseISO("2025-03-10"))
        #expect(try ListQuery(page: 1, parameters: [("endDate", "2025-03-10")]).endDate == day + 86_400_000 - 1)
        #expect(try ListQuery(page: 1, parameters: [("endDate", "2025-03-10T00:00")]).endDate == day)
        // Ten characters too, but a moment, not a day.
        #expect(try ListQuery(page: 1, parameters: [("endDate", "/Date(12)/")]).endDate == 12)
    }

    @Test func dateFiltersUseModifiedAndOrderDates() async throws {
        let clock = TestClock()
        try await Fixture.withSandbox(clock: clock) { client, _ in
            try await Self.createOrders(3, client, clock: clock)
            let since = DotNetDate.iso(milliseconds: Fixture.startMs + 2000)
            #expect(Self.numbers(try await client.call(.get, "/SalesOrders", query: "modifiedSince=\(since)")) == ["OM-2", "OM-3"])
            #expect(Self.numbers(try await client.call(.get, "/SalesOrders", query: "modifiedSince=2026-11-28")) == [])
            clock.advance(by: 86_400_000)
            _ = try await client.admin(.post, "edit/SalesOrders/\(Fixture.guid(1))", body: ["set": ["OrderDate": "/Date(1741824000000)/"]])
            #expect(Self.numbers(try await client.call(.get, "/SalesOrders", query: "modifiedSince=2026-11-28")) == ["OM-1"])
            #expect(Self.numbers(try await client.call(.get, "/SalesOrders", query: "startDate=2025-03-11")) == ["OM-1"])
            #expect(Self.numbers(try await client.call(.get, "/SalesOrders", query: "endDate=2025-03-10")) == ["OM-2", "OM-3"])
            #expect(Self.numbers(try await client.call(.get, "/SalesOrders", query: "startDate=2025-03-10&endDate=2025-03-13")).count == 3)
            let bad = try await client.call(.get, "/SalesOrders", query: "modifiedSince=yesterday")
            #expect(bad.status == .badRequest)
            #expect(bad.errorDescription == "modifiedSince 'yesterday' is not a valid date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC).")
        }
    }

    @Test(arguments: Resource.allCases.filter(\.isReferenceList))
    func referenceListsArePaged(resource: Resource) async throws {
        try await Fixture.withSandbox { client, sandbox in
            let expected = await sandbox.store.list(resource, try ListQuery(page: 1, parameters: [])).items.count
            #expect(expected > 0)
            let response = try await client.call(.get, "/\(resource.rawValue)/1", query: "pageSize=1")
            #expect(response.status == .ok)
            #expect(response.json["Pagination"]?["NumberOfItems"]?.numberValue?.int == expected)
            #expect(response.json["Pagination"]?["NumberOfPages"]?.numberValue?.int == expected)
            let item = try #require(response.json["Items"]?[0]?.objectValue)
            #expect(item[resource.codeField]?.stringValue != nil)
            let guid = try #require(item["Guid"]?.stringValue)
            #expect(try await client.call(.get, "/\(resource.rawValue)/\(guid)").json == .object(item))
        }
    }
}

@Suite struct LookupIndexTests {
    @Test func sourceIdAndOrderNumberLookupsFollowUpdates() async throws {
        try await Fixture.withSandbox { client, _ in
            for i in 1...3 {
                let body = Fixture.order(guid: Fixture.guid(i), orderNumber: "N-\(i)", sourceId: "shared")
                _ = try await client.call(.post, "/SalesOrders/\(Fixture.guid(i))", body: .object(body))
            }
            #expect(ListTests.numbers(try await client.call(.get, "/SalesOrders", query: "sourceId=SHARED")) == ["N-1", "N-2", "N-3"])
            let moved = Fixture.order(guid: Fixture.guid(2), orderNumber: "N-2b", sourceId: "other")
            #expect(try await client.call(.put, "/SalesOrders/\(Fixture.guid(2))", body: .object(moved)).status == .ok)
            #expect(ListTests.numbers(try await client.call(.get, "/SalesOrders", query: "sourceId=shared")) == ["N-1", "N-3"])
            #expect(ListTests.numbers(try await client.call(.get, "/SalesOrders", query: "sourceId=other")) == ["N-2b"])
            #expect(ListTests.numbers(try await client.call(.get, "/SalesOrders", query: "orderNumber=N-2")) == [])
            #expect(ListTests.numbers(try await client.call(.get, "/SalesOrders", query: "orderNumber=n-2B")) == ["N-2b"])
            let back = Fixture.order(guid: Fixture.guid(2), orderNumber: "N-2", sourceId: "shared")
            _ = try await client.call(.put, "/SalesOrders/\(Fixture.guid(2))", body: .object(back))
            #expect(ListTests.numbers(try await client.call(.get, "/SalesOrders", query: "sourceId=shared")) == ["N-1", "N-2", "N-3"])
        }
    }
}
