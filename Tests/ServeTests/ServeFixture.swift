import Batch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Serve
import TestSupport

/// A server on a temporary copy of the shipped rules, with the sample batch, driven without a
/// socket (`app.test(.router)`): each test gets its own folder and token.
struct ServeFixture {
    static let token = "0123456789abcdef0123456789abcdef"
    let folder: URL
    let rules: URL
    var configuration: ServeConfiguration

    init(ledger: String? = nil, maxBodyBytes: Int? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
        rules = folder.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        for name in ["omsync.yaml", "settings.yaml"] {
            try FileManager.default.copyItem(at: Project.url("rules/\(name)"), to: rules.appendingPathComponent(name))
        }
        configuration = ServeConfiguration(token: Self.token)
        configuration.rules = rules.path
        configuration.batches = [Project.path("samples/orders-envelope.json")]
        configuration.ledger = .sqlite(ledger ?? folder.appendingPathComponent("no-ledger.sqlite").path)
        if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The shipped rule file's text.
    var shippedRules: String { (try? String(contentsOf: Project.url("rules/omsync.yaml"), encoding: .utf8)) ?? "" }

    /// The text of a file of the fixture's rules folder.
    func text(_ name: String) throws -> String { try String(contentsOf: rules.appendingPathComponent(name), encoding: .utf8) }

    /// Runs `body` against the router.
    func test(_ body: @escaping @Sendable (Client) async throws -> Void) async throws {
        let server = try ServeServer(configuration: configuration)
        let app = Application(router: server.router())
        try await app.test(.router) { client in try await body(Client(client: client)) }
    }

    /// A test client that sends what the page sends (token, JSON, same origin) unless told otherwise.
    struct Client: Sendable {
        let client: any TestClientProtocol

        struct Reply: Sendable {
            var status: HTTPResponse.Status
            var headers: HTTPFields
            var body: String
            var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, raw: String? = nil, token: String? = ServeFixture.token,
                  origin: String? = nil, headers extra: [String: String] = [:]) async throws -> Reply {
            var headers = HTTPFields()
            if let token { headers[HTTPField.Name("X-OMSync-Token")!] = token }
            if json != nil || raw != nil { headers[.contentType] = "application/json" }
            if let origin { headers[.origin] = origin }
            for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
            let body = (json?.serialized()).map { ByteBuffer(string: $0) } ?? raw.map { ByteBuffer(string: $0) }
            return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
            }
        }

        func post(_ uri: String, _ json: JSONValue, token: String? = ServeFixture.token, origin: String? = nil,
                  headers: [String: String] = [:]) async throws -> Reply {
            try await send(.post, uri, json: json, token: token, origin: origin, headers: headers)
        }

        func get(_ uri: String, token: String? = ServeFixture.token, headers: [String: String] = [:]) async throws -> Reply {
            try await send(.get, uri, token: token, headers: headers)
        }
    }
}

/// JSON building for the tests.
func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
    .object(JSONObject(pairs.map { ($0.key, $0.value) }))
}

extension JSONValue {
    /// The member at a dotted path of keys and indexes (`summary.actions.create`, `orders.0.action`).
    func at(_ path: String) -> JSONValue? {
        path.split(separator: ".").reduce(Optional(self)) { value, part in
            if let index = Int(part), case .array = value { return value?[index] }
            return value?[String(part)]
        }
    }

    var string: String? { stringValue }
    var int: Int? { numberValue?.int }
}
