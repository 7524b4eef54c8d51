import Batch
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Sandbox
import Unleashed

/// A live sandbox on a free loopback port and an `UnleashedClient` pointed at it (sleeps recorded, not waited).
enum SandboxClientFixture {
    static let apiID = "test-api-id"
    static let secret = "dummy-api-key-for-tests"
    /// 2026-11-27T00:00:00Z
    static let startMs: Int64 = 1_795_737_600_000

    static let seed = """
        currencies: [{ CurrencyCode: AUD, Description: Australian dollar }]
        taxes: [{ TaxCode: G.S.T., TaxRate: 0.1 }, { TaxCode: NONE, TaxRate: 0 }]
        warehouses:
          - { WarehouseCode: MAIN, WarehouseName: Main, IsDefault: true }
          - { WarehouseCode: OM_DELETE, WarehouseName: Deleted }
        salespersons: [{ FullName: Ana Alvarez, Email: ana@supplier.example }]
        salesOrderGroups: [{ GroupName: Cafes }]
        deliveryMethods: [{ Name: Van 1 }]
        products: [{ ProductCode: COF-1KG, ProductDescription: Coffee }]
        customers:
          - { CustomerCode: ACME, CustomerName: Acme Cafe, Email: orders@acme.example }
          - { CustomerCode: ACME2, CustomerName: Acme Two, Email: two@acme.example }
          - { CustomerCode: BEAN001, CustomerName: Bean Counter, ContactLastName: Bea }
        """

    /// Sleeps the client asked for (nothing is waited).
    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Duration] = []
        var all: [Duration] { lock.withLock { recorded } }
        func record(_ duration: Duration) { lock.withLock { recorded.append(duration) } }
    }

    /// Runs `body` with a live sandbox, its admin client and a client configured by `adjust`.
    static func run(quota: Int? = nil, adjust: @Sendable (inout UnleashedConfiguration) -> Void = { _ in },
                    _ body: @Sendable (UnleashedClient, any TestClientProtocol, SandboxServer, Sleeps) async throws -> Void) async throws {
        var configuration = SandboxConfiguration(credentials: SandboxCredentials(apiId: apiID, apiKey: secret))
        configuration.seed = (seed, "client test seed")
        configuration.faults.quota = quota
        configuration.clock = { startMs }
        let sandbox = try SandboxServer(configuration: configuration)
        try await sandbox.application().test(.live) { admin in
            let sleeps = Sleeps()
            var settings = UnleashedConfiguration(
                credentials: UnleashedCredentials(apiID: apiID, apiKey: APIKey(secret), baseURL: "http://127.0.0.1:\(admin.port ?? 0)"),
                sleep: { sleeps.record($0) },
                now: { Date(timeIntervalSince1970: TimeInterval(startMs) / 1000) })
            adjust(&settings)
            let client = try UnleashedClient(configuration: settings)
            do { try await body(client, admin, sandbox, sleeps) } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
        }
    }

    /// Scripts the faults of the next calls (`PUT /_sandbox/faults {"next": [...]}`).
    static func script(_ admin: any TestClientProtocol, _ faults: [String]) async throws {
        let body = JSONValue.object(JSONObject([("next", .array(faults.map(JSONValue.string)))])).serialized()
        let response = try await admin.execute(uri: "/_sandbox/faults", method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
        precondition(response.status == .ok, "the sandbox refused the fault script")
    }

    /// The sandbox's own call counts by endpoint.
    static func sandboxCalls(_ admin: any TestClientProtocol) async throws -> [String: Int] {
        let response = try await admin.execute(uri: "/_sandbox/calls", method: .get)
        let document = try JSONValue.parse(Array(response.body.readableBytesView))
        var counts: [String: Int] = [:]
        for (key, value) in document["byEndpoint"]?.objectValue ?? JSONObject() { counts[key] = value.numberValue?.int ?? 0 }
        return counts
    }

    static func guid(_ n: Int) -> String {
        let digits = String(n)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// A valid order body: 2 × COF-1KG at 28.79 for ACME from MAIN, Parked.
    static func orderBody(guid: String, orderNumber: String? = nil) -> [UInt8] {
        let number = orderNumber.map { "\"OrderNumber\":\"\($0)\"," } ?? ""
        return Array("""
            {"Guid":"\(guid)",\(number)"OrderStatus":"Parked","OrderDate":"2025-03-10T00:00:00","Customer":{"CustomerCode":"ACME"},
             "Warehouse":{"WarehouseCode":"MAIN"},"Currency":{"CurrencyCode":"AUD"},"ExchangeRate":1,"Tax":{"TaxCode":"G.S.T."},"TaxRate":0.1,
             "SalesOrderLines":[{"LineNumber":1,"Product":{"ProductCode":"COF-1KG"},"OrderQuantity":2,"UnitPrice":28.79,"LineTotal":57.58,"LineTax":5.76}],
             "SubTotal":57.58,"TaxTotal":5.76,"Total":63.34}
            """.utf8)
    }
}
