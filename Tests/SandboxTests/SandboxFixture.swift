import Batch
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Sandbox

/// A small account the tests know by heart, plus helpers to call the sandbox as a signed client.
enum Fixture {
    static let credentials = SandboxCredentials(apiId: "test-api-id", apiKey: "dummy-api-key-for-tests")
    static let clientType = "ordermentum/omsync"
    /// 2026-11-27T00:00:00Z
    static let startMs: Int64 = 1_795_737_600_000

    static let seed = """
        currencies: [{ CurrencyCode: AUD, Description: Australian dollar }, { CurrencyCode: NZD, Description: NZ dollar }]
        taxes:
          - { TaxCode: G.S.T., TaxRate: 0.1 }
          - { TaxCode: NONE, TaxRate: 0 }
          - { TaxCode: HALF, TaxRate: 0.05 }
          - { TaxCode: INPUT, TaxRate: 0.1, CanApplyToRevenue: false }
        warehouses:
          - { WarehouseCode: MAIN, WarehouseName: Main, IsDefault: true }
          - { WarehouseCode: OM_DELETE, WarehouseName: Deleted }
          - { WarehouseCode: SYD, WarehouseName: Sydney }
        salespersons: [{ FullName: Ana Alvarez, Email: ana@supplier.example }]
        salesOrderGroups: [{ GroupName: Cafes }]
        deliveryMethods: [{ Name: Van 1 }]
        products:
          - { ProductCode: COF-1KG, ProductDescription: Coffee, IsSellable: true }
          - { ProductCode: MILK-2L, ProductDescription: Milk }
          - { ProductCode: OLD-STOCK, ProductDescription: Gone, IsSellable: false }
          - { ProductCode: OM_FREIGHT, ProductDescription: Freight, NeverDiminishing: true }
        customers:
          - { CustomerCode: ACME, CustomerName: Acme Cafe, ContactFirstName: Ada, Email: orders@acme.example }
          - { CustomerCode: ACME2, CustomerName: Acme Two, Email: two@acme.example }
          - { CustomerCode: BEAN001, CustomerName: Bean Counter, ContactLastName: Bea }
        """

    static func configuration(faults: FaultSettings = FaultSettings(), statePath: String? = nil,
                              clock: TestClock = TestClock()) -> SandboxConfiguration {
        var configuration = SandboxConfiguration(credentials: credentials)
        configuration.seed = (seed, "test seed")
        configuration.faults = faults
        configuration.statePath = statePath
        configuration.clock = { clock.now }
        return configuration
    }

    static func server(faults: FaultSettings = FaultSettings(), statePath: String? = nil,
                       clock: TestClock = TestClock()) throws -> SandboxServer {
        try SandboxServer(configuration: configuration(faults: faults, statePath: statePath, clock: clock))
    }

    /// Runs `test` against a fresh sandbox (router: no socket; live: a real port).
    static func withSandbox<Value>(
        _ setup: TestingSetup = .router, faults: FaultSettings = FaultSettings(), clock: TestClock = TestClock(),
        _ test: @Sendable (any TestClientProtocol, SandboxServer) async throws -> Value
    ) async throws -> Value {
        let sandbox = try server(faults: faults, clock: clock)
        return try await sandbox.application().test(setup) { client in try await test(client, sandbox) }
    }

    /// Base64 HMAC-SHA256 of `query` keyed with the fixture's key (computed here, independently of the sandbox).
    static func sign(_ query: String, key: String = "dummy-api-key-for-tests") -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(query.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(code).base64EncodedString()
    }

    static func headers(signing query: String, id: String = "test-api-id", clientType: String? = Fixture.clientType) -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("api-auth-id")!] = id
        fields[HTTPField.Name("api-auth-signature")!] = sign(query)
        if let clientType { fields[HTTPField.Name("client-type")!] = clientType }
        fields[.accept] = "application/json"
        fields[.contentType] = "application/json"
        return fields
    }

    static func number(_ text: String) -> JSONValue { .number(JSONNumber(text: text)!) }

    /// A valid order: 2 × COF-1KG at 28.79 (57.58, tax 5.76) for ACME from MAIN, status Parked.
    static func order(guid: String, orderNumber: String? = nil, customer: String = "ACME", warehouse: String = "MAIN",
                      status: String = "Parked", sourceId: String? = nil) -> JSONObject {
        let literal: JSONValue = [
            "Guid": .string(guid), "OrderStatus": .string(status),
            "OrderDate": "2025-03-10T00:00:00",
            "Customer": ["CustomerCode": .string(customer)], "Warehouse": ["WarehouseCode": .string(warehouse)],
            "Currency": ["CurrencyCode": "AUD"], "ExchangeRate": 1,
            "Tax": ["TaxCode": "G.S.T."], "TaxRate": number("0.1"),
            "SalesOrderLines": [[
                "LineNumber": 1, "Product": ["ProductCode": "COF-1KG"], "OrderQuantity": 2,
                "UnitPrice": number("28.79"), "LineTotal": number("57.58"), "LineTax": number("5.76"),
            ]],
            "SubTotal": number("57.58"), "TaxTotal": number("5.76"), "Total": number("63.34"),
        ]
        var order = literal.objectValue!
        if let orderNumber { order["OrderNumber"] = .string(orderNumber) }
        if let sourceId { order["SourceId"] = .string(sourceId) }
        return order
    }

    static func guid(_ n: Int) -> String {
        let digits = String(n)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }
}

/// A clock the tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var ms: Int64

    init(_ ms: Int64 = Fixture.startMs) { self.ms = ms }

    var now: Int64 { lock.withLock { ms } }

    func advance(by delta: Int64) { lock.withLock { ms += delta } }
}

extension TestClientProtocol {
    /// A signed call; `query` is sent as written (no `?`) and signed in the form given by `signing` (default: as sent).
    func call(_ method: HTTPRequest.Method, _ path: String, query: String = "", signing: String? = nil,
              body: JSONValue? = nil, headers: HTTPFields? = nil) async throws -> TestResponse {
        let uri = query.isEmpty ? path : "\(path)?\(query)"
        let fields = headers ?? Fixture.headers(signing: signing ?? query)
        let buffer = body.map { ByteBuffer(string: $0.serialized()) }
        return try await execute(uri: uri, method: method, headers: fields, body: buffer)
    }

    /// An admin call (no signature), as a local tool sends it: JSON, no `Origin`.
    func admin(_ method: HTTPRequest.Method, _ path: String, body: JSONValue? = nil, headers: HTTPFields = [.contentType: "application/json"]) async throws -> TestResponse {
        try await execute(uri: "/_sandbox/" + path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0.serialized()) })
    }
}

extension TestResponse {
    /// The body parsed as JSON (null when it is not JSON).
    var json: JSONValue {
        (try? JSONValue.parse(Array(body.readableBytesView))) ?? .null
    }

    /// The `Description` of an error body.
    var errorDescription: String? { json["Description"]?.stringValue }
}
