import Batch
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Sandbox
import Testing
import Unleashed

@Suite struct UnleashedClientTests {
    typealias F = SandboxClientFixture

    @Test func typedCallsAgainstTheSandbox() async throws {
        try await F.run { client, admin, _, _ in
            let created = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1), orderNumber: "OM-1"))
            #expect(created.orderNumber == "OM-1")
            #expect(created.status == .parked)
            #expect(try await client.salesOrder(guid: F.guid(1))?.customerCode == "ACME")
            #expect(try await client.salesOrder(guid: F.guid(99)) == nil)
            #expect(try await client.salesOrders(SalesOrderFilter(orderNumber: "OM-1")).map(\.guid) == [F.guid(1)])
            let completed = try await client.completeSalesOrder(guid: F.guid(1))
            #expect(completed.status == .completed)
            _ = try await client.createSalesOrder(guid: F.guid(2), body: F.orderBody(guid: F.guid(2)))
            #expect(try await client.deleteSalesOrder(guid: F.guid(2)).status == .deleted)
            #expect(try await client.list(.warehouses, modifiedSince: nil).compactMap { $0["WarehouseCode"]?.stringValue } == ["MAIN", "OM_DELETE"])
            for resource in UnleashedResource.allCases where resource.isReferenceList { #expect(try await !client.list(resource, modifiedSince: nil).isEmpty) }
            #expect(try await client.customers(codePrefix: "ACME", modifiedSince: nil).count == 2)
            let saved = try await client.saveCustomer(guid: F.guid(50), body: Array(#"{"CustomerCode":"NEW1","CustomerName":"New","Email":"n@x.example"}"#.utf8))
            #expect(saved["CustomerCode"]?.stringValue == "NEW1")
            #expect(try await client.customer(guid: F.guid(50))?["CustomerName"]?.stringValue == "New")
            _ = try await client.saveProduct(guid: F.guid(51), body: Array(#"{"ProductCode":"OM_FREIGHT","ProductDescription":"Freight","NeverDiminishing":true}"#.utf8))
            #expect(try await client.products(codePrefix: "OM_", modifiedSince: nil).count == 1)
            #expect(client.calls.snapshot() == (try await F.sandboxCalls(admin)))
        }
    }

    @Test func everyPageIsRead() async throws {
        try await F.run { client, admin, _, _ in
            for n in 1...5 { _ = try await client.createSalesOrder(guid: F.guid(n), body: F.orderBody(guid: F.guid(n))) }
            let all = try await client.salesOrders(SalesOrderFilter(pageSize: 2))
            #expect(all.map(\.guid) == (1...5).map(F.guid))
            #expect(client.calls.snapshot()["GET /SalesOrders"] == 1)
            #expect(client.calls.snapshot()["GET /SalesOrders/{page}"] == 2)
            #expect(client.calls.snapshot() == (try await F.sandboxCalls(admin)))
        }
    }

    @Test func aDroppedCreateIsFoundByGetAndNotDuplicated() async throws {
        try await F.run { client, admin, sandbox, _ in
            try await F.script(admin, ["drop"])
            let order = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1)))
            #expect(order.guid == F.guid(1))
            #expect(client.calls.snapshot() == ["POST /SalesOrders/{guid}": 1, "GET /SalesOrders/{guid}": 1])
            #expect(try await client.salesOrders(SalesOrderFilter()).count == 1)
            #expect(client.calls.snapshot() == (try await F.sandboxCalls(admin)))
            _ = sandbox
        }
    }

    /// A resumed run creates the order under the GUID an earlier run reserved; that run's POST
    /// landed after the resumed run asked for it (404): the first POST is answered "already
    /// exists", and the order under our GUID is the answer, not a refusal.
    @Test func aCreateWhoseGuidAlreadyLandedIsTheOrderNotARefusal() async throws {
        try await F.run { client, admin, _, _ in
            #expect(try await client.salesOrder(guid: F.guid(1)) == nil)
            let earlier = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1), orderNumber: "OM-1"))
            let again = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1), orderNumber: "OM-1"))
            #expect(again.guid == earlier.guid && again.orderNumber == "OM-1")
            #expect(try await client.salesOrders(SalesOrderFilter()).count == 1)
            #expect(client.calls.snapshot() == ["GET /SalesOrders/{guid}": 2, "POST /SalesOrders/{guid}": 2, "GET /SalesOrders": 1])
            // Another GUID with a number already used: refused, as Unleashed said.
            do {
                _ = try await client.createSalesOrder(guid: F.guid(2), body: F.orderBody(guid: F.guid(2), orderNumber: "OM-1"))
                Issue.record("a used order number was accepted")
            } catch let error as UnleashedError {
                guard case .refused(_, 400, let description, _) = error else { Issue.record("\(error)"); return }
                #expect(description == "Order number 'OM-1' already exists.")
            }
            #expect(client.calls.snapshot() == (try await F.sandboxCalls(admin)))
        }
    }

    @Test func a500ThenSuccessIsRetriedWithBackoff() async throws {
        try await F.run { client, admin, _, sleeps in
            try await F.script(admin, ["error"])
            let order = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1)))
            #expect(order.status == .parked)
            // 500 → outcome unknown → GET (404) → POST again.
            #expect(client.calls.snapshot() == ["POST /SalesOrders/{guid}": 2, "GET /SalesOrders/{guid}": 1])
            #expect(sleeps.all.count == 1)
            #expect(sleeps.all.allSatisfy { $0 <= .milliseconds(250) })
        }
    }

    @Test func a429HonoursRetryAfterThroughTheInjectedSleep() async throws {
        try await F.run { client, admin, _, sleeps in
            try await F.script(admin, ["throttle"])
            #expect(try await client.list(.taxes, modifiedSince: nil).count == 2)
            #expect(sleeps.all == [.seconds(1)])
            #expect(client.calls.snapshot() == ["GET /Taxes": 2])
        }
    }

    @Test func aResetIsRetried() async throws {
        try await F.run { client, admin, _, _ in
            try await F.script(admin, ["reset"])
            let order = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1)))
            #expect(order.guid == F.guid(1))
            #expect(try await client.salesOrders(SalesOrderFilter()).count == 1)
        }
    }

    @Test func theQuotaIsQuotaExceededWithItsResetTime() async throws {
        try await F.run(quota: 1) { client, _, _, sleeps in
            _ = try await client.list(.taxes, modifiedSince: nil)
            do {
                _ = try await client.list(.taxes, modifiedSince: nil)
                Issue.record("the quota should stop the call")
            } catch let error as UnleashedError {
                guard case .quotaExceeded(let description, let resetsAt) = error else { Issue.record("\(error)"); return }
                #expect(description.hasPrefix("API quota exceeded"))
                #expect(resetsAt == Date(timeIntervalSince1970: 1_796_083_200))  // 2026-12-01T00:00:00Z
            }
            #expect(sleeps.all.isEmpty)
        }
    }

    @Test func a400IsNeverRetriedAndKeepsTheBody() async throws {
        try await F.run { client, _, _, sleeps in
            do {
                _ = try await client.createSalesOrder(guid: F.guid(1), body: Array(#"{"OrderStatus":"Parked"}"#.utf8))
                Issue.record("an invalid order should be refused")
            } catch let error as UnleashedError {
                guard case .refused(_, let status, let description, let body) = error else { Issue.record("\(error)"); return }
                #expect(status == 400)
                #expect(description == "Customer code is required (Customer.CustomerCode).")
                #expect(body.contains("DebugInformation"))
            }
            #expect(client.calls.total == 1)
            #expect(sleeps.all.isEmpty)
        }
    }

    @Test func a403IsAuthenticationAndTheKeyIsNowhere() async throws {
        let logs = LogCapture()
        try await F.run(adjust: { settings in
            settings.credentials.apiKey = APIKey("wrong-secret-value")
            settings.logger = Logger(label: "test") { _ in logs.handler() }
        }) { client, _, _, _ in
            do {
                _ = try await client.list(.warehouses, modifiedSince: nil)
                Issue.record("a wrong key should be refused")
            } catch let error as UnleashedError {
                guard case .authentication = error else { Issue.record("\(error)"); return }
                var dumped = ""
                dump(error, to: &dumped)
                for text in [error.description, String(describing: error), dumped, logs.text, String(describing: client.configuration)] {
                    #expect(!text.contains("wrong-secret-value"))
                }
                #expect(!logs.text.isEmpty)
                #expect(!logs.text.contains("api-auth-signature"))
            }
            #expect(client.calls.total == 1)
        }
    }

    @Test func ourBudgetStopsBeforeSending() async throws {
        try await F.run(adjust: { $0.quota = CallQuota(limit: 3, usedBefore: 2) }) { client, admin, _, _ in
            _ = try await client.list(.taxes, modifiedSince: nil)
            do {
                _ = try await client.list(.taxes, modifiedSince: nil)
                Issue.record("the budget should stop the call")
            } catch let error as UnleashedError {
                guard case .budgetExhausted(let used, let limit, let resetsAt) = error else { Issue.record("\(error)"); return }
                #expect(used == 3 && limit == 3)
                #expect(resetsAt == Date(timeIntervalSince1970: 1_796_083_200))
            }
            #expect(try await F.sandboxCalls(admin) == ["GET /Taxes": 1])
        }
    }

    @Test func updateBodyRoundTripsThroughTheSandbox() async throws {
        try await F.run { client, _, _, _ in
            let created = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1), orderNumber: "OM-7"))
            let body = created.updateBody(applying: [("Warehouse.WarehouseCode", "OM_DELETE"), ("CustomerRef", "DELETED")])
            let updated = try await client.updateSalesOrder(guid: F.guid(1), body: body) { $0.warehouseCode == "OM_DELETE" }
            #expect(updated.warehouseCode == "OM_DELETE")
            let again = try #require(try await client.salesOrder(guid: F.guid(1)))
            #expect(again.customerRef == "DELETED")
            #expect(again.orderNumber == "OM-7")
            #expect(again.json["OrderDate"] == created.json["OrderDate"])
        }
    }

    @Test func aDroppedUpdateThatLandedIsNotRepeated() async throws {
        try await F.run { client, admin, _, _ in
            let created = try await client.createSalesOrder(guid: F.guid(1), body: F.orderBody(guid: F.guid(1)))
            try await F.script(admin, ["drop"])
            let body = created.updateBody(applying: [("CustomerRef", "changed")])
            let updated = try await client.updateSalesOrder(guid: F.guid(1), body: body) { $0.customerRef == "changed" }
            #expect(updated.customerRef == "changed")
            #expect(client.calls.snapshot()["PUT /SalesOrders/{guid}"] == 1)
        }
    }
}

/// Collects every log line (message and metadata) a client writes.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    func handler() -> CapturingHandler { CapturingHandler(capture: self) }
}

/// A `LogHandler` that writes into a `LogCapture`, at every level.
struct CapturingHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        capture.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
    }
}
