import Batch
import Foundation
import HummingbirdTesting
import NIOCore
import Ledger
import Pipeline
import Push
import Rules
import Sandbox
import TestSupport
import Unleashed

/// A live sandbox, a real SQLite ledger in a temporary folder and the shipped rules: what an
/// import meets, on loopback.
struct PushFixture: Sendable {
    static let apiID = "push-test-id"
    static let apiKey = "push-test-key-not-a-real-one"

    let folder: URL
    let port: Int
    let sandbox: SandboxServer
    let client: any TestClientProtocol

    /// Runs `test` against a fresh sandbox (default seed, or `seed`) with a fresh ledger folder.
    static func with<Value: Sendable>(seed: String? = nil, faults: FaultSettings = FaultSettings(),
                                      _ test: @Sendable (PushFixture) async throws -> Value) async throws -> Value {
        var configuration = SandboxConfiguration(credentials: SandboxCredentials(apiId: apiID, apiKey: apiKey))
        if let seed { configuration.seed = (seed, "test seed") }
        configuration.faults = faults
        let sandbox = try SandboxServer(configuration: configuration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-push-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await sandbox.application().test(.live) { client in
            guard let port = client.port else { throw FixtureError("the live test client has no port") }
            return try await test(PushFixture(folder: folder, port: port, sandbox: sandbox, client: client))
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    var ledgerPath: String { folder.appendingPathComponent("ledger.sqlite").path }

    /// The Unleashed configuration of this sandbox (no waiting between retries).
    var unleashed: UnleashedConfiguration {
        var configuration = UnleashedConfiguration(credentials: UnleashedCredentials(
            apiID: Self.apiID, apiKey: APIKey(Self.apiKey), baseURL: "http://127.0.0.1:\(port)"))
        configuration.sleep = { _ in }
        return configuration
    }

    /// Imports `orders` (written to a batch file named `name`) with the shipped rules and `settings` overrides.
    func importOrders(_ orders: [JSONValue], name: String = "batch.json", settings: [String] = [],
                      options: PushOptions = PushOptions(), rules: String = Project.path("rules")) async throws -> PushSummary {
        let path = folder.appendingPathComponent(name).path
        try Data(JSONValue.array(orders).serialized().utf8).write(to: URL(fileURLWithPath: path))
        return try await importFile(path, settings: settings, options: options, rules: rules)
    }

    /// Imports a batch file (through `wrap`'s ledger around the fixture's, when given).
    func importFile(_ path: String, settings: [String] = [], options: PushOptions = PushOptions(), rules: String = Project.path("rules"),
                    wrap: @Sendable (any Ledger) -> any Ledger = { $0 }) async throws -> PushSummary {
        try await importFile(path, into: wrap(try SQLiteLedger(path: ledgerPath)), settings: settings, options: options, rules: rules)
    }

    /// Imports several batch files as one run (as one `omsync import a.json b.json` does).
    func importFiles(_ paths: [String], options: PushOptions = PushOptions()) async throws -> PushSummary {
        let loaded = RuleLoader.load(directory: Project.path("rules"))
        guard let ruleSet = loaded.ruleSet, let resolved = loaded.settings else { throw FixtureError(loaded.render(color: false)) }
        let stage = PushStage(pipeline: try CompiledPipeline(ruleSet: ruleSet, settings: resolved), ledger: try SQLiteLedger(path: ledgerPath),
                              unleashed: unleashed, options: options)
        return try await stage.run(batches: paths)
    }

    /// Writes `orders` as a batch file named `name` in the fixture's folder; its path.
    func write(_ orders: [JSONValue], name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(JSONValue.array(orders).serialized().utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Imports a batch file into `ledger`, as one `omsync import` process does.
    func importFile(_ path: String, into ledger: any Ledger, settings: [String] = [], options: PushOptions = PushOptions(),
                    rules: String = Project.path("rules")) async throws -> PushSummary {
        let loaded = RuleLoader.load(directory: rules, overrides: settings)
        guard let ruleSet = loaded.ruleSet, let resolved = loaded.settings else { throw FixtureError(loaded.render(color: false)) }
        let pipeline = try CompiledPipeline(ruleSet: ruleSet, settings: resolved)
        let stage = PushStage(pipeline: pipeline, ledger: ledger, unleashed: unleashed, options: options)
        return try await stage.run(batches: [path])
    }

    /// Takes the sandbox back to its seed (records, order numbers, call counts).
    func resetSandbox() async throws {
        _ = try await client.execute(uri: "/_sandbox/reset", method: .post, headers: [.contentType: "application/json"])
    }

    /// The ledger (a second instance on the same file).
    func ledger() throws -> SQLiteLedger { try SQLiteLedger(path: ledgerPath) }

    /// Every sales order in the sandbox (Deleted ones too), through the admin state.
    func salesOrders() async throws -> [JSONValue] {
        let response = try await client.execute(uri: "/_sandbox/state", method: .get)
        let state = (try? JSONValue.parse(Array(response.body.readableBytesView))) ?? .null
        return state["salesOrders"]?.arrayValue ?? []
    }

    /// The sandbox's sales orders with this SourceId-independent customer reference.
    func salesOrders(customerRef: String) async throws -> [JSONValue] {
        try await salesOrders().filter { $0["CustomerRef"]?.stringValue == customerRef }
    }

    /// Collection records of the sandbox state (`customers`, `products`).
    func records(_ collection: String) async throws -> [JSONValue] {
        let response = try await client.execute(uri: "/_sandbox/state", method: .get)
        let state = (try? JSONValue.parse(Array(response.body.readableBytesView))) ?? .null
        return state[collection]?.arrayValue ?? []
    }

    /// A person's edit in the Unleashed web app.
    func editInWebApp(guid: String, set fields: JSONValue) async throws {
        let body = JSONValue.object(JSONObject([("set", fields)])).serialized()
        _ = try await client.execute(uri: "/_sandbox/edit/SalesOrders/\(guid)", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    /// Scripts the faults of the next calls.
    func scriptFaults(_ faults: [String]) async throws {
        let body = JSONValue.object(JSONObject([("next", .array(faults.map(JSONValue.string)))])).serialized()
        _ = try await client.execute(uri: "/_sandbox/faults", method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    /// Calls the sandbox counted, by endpoint.
    func calls() async throws -> [String: Int] {
        let response = try await client.execute(uri: "/_sandbox/calls", method: .get)
        let json = (try? JSONValue.parse(Array(response.body.readableBytesView))) ?? .null
        var result: [String: Int] = [:]
        for (key, value) in json["byEndpoint"]?.objectValue ?? JSONObject() { result[key] = value.numberValue?.int }
        return result
    }
}

/// Ordermentum orders for the tests, shaped like the samples (embedded purchaser).
enum OM {
    /// One order: `lines` of (SKU, quantity, price).
    static func order(id: String, number: String, customerCode: String? = "LOAF002", warehouse: String? = nil,
                      lines: [(String, Int, String)] = [("COF-1KG", 2, "28.7900")], freight: String = "0",
                      cancelled: Bool = false, billingEmail: String? = "accounts@loaf.example",
                      customerID: String = "0b8f4e6a-77c2-4d1e-8f3a-5a6b7c8d9e02", customerName: String = "Loaf Bakery Pty Ltd",
                      deliveryDate: String = "2019-04-11T14:00:00.000Z", extra: [String: String] = [:]) -> JSONValue {
        var properties: [String: Any] = [:]
        if let customerCode { properties["unleashed_customer_code"] = customerCode }
        if let warehouse { properties["unleashed_warehouse"] = warehouse }
        for (k, v) in extra { properties[k] = v }
        let items: [[String: Any]] = lines.map { sku, quantity, price in
            ["SKU": sku, "name": sku, "quantity": quantity, "price": price, "taxable": true, "product": ["SKU": sku, "properties": [String: Any]()]]
        }
        var purchaser: [String: Any] = [
            "id": customerID, "name": customerName, "retailerName": customerName,
            "retailer": ["contactFirstName": "Sam", "contactLastName": "Lee"], "properties": [String: Any](),
        ]
        if let billingEmail { purchaser["retailerBillingEmail"] = billingEmail }
        let order: [String: Any] = [
            "id": id, "orderNumber": number, "number": number, "status": cancelled ? "Cancelled" : "Placed",
            "createdAt": "2019-04-08T22:15:05.120Z", "placedOn": "2019-04-08T22:16:31.902Z",
            "cancelledAt": cancelled ? "2019-04-09T01:00:00.000Z" as Any : NSNull(), "deletedAt": NSNull(),
            "deliveryDate": deliveryDate, "comment": "", "purchaserId": customerID, "retailerName": customerName,
            "retailerAddress": ["street1": "12 King St", "street2": "", "suburb": "Newtown", "state": "NSW", "postcode": "2042", "country": ""],
            "freight": Double(freight) ?? 0, "totalFreight": Double(freight) ?? 0, "lineItems": items,
            "properties": properties, "tags": [Any](), "supplier": ["timezone": "Australia/Sydney"], "purchaser": purchaser,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: order)) ?? Data()
        return (try? JSONValue.parse([UInt8](data))) ?? .null
    }
}
