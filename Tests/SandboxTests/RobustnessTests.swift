import Batch
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing

/// Random, malformed and hostile requests: every one gets an Unleashed-shaped answer, none crashes the sandbox.
@Suite struct RobustnessTests {
    static let paths = ["/SalesOrders", "/SalesOrders/1", "/SalesOrders/-5", "/SalesOrders/99999999999999999999", "/Customers",
                        "/Products/abc", "/SalesOrders/\(Fixture.guid(1))", "/SalesOrders/\(Fixture.guid(1))/Complete",
                        "/SalesOrders/\(Fixture.guid(1))/Explode", "/Taxes/\(Fixture.guid(3))", "//", "/%zz", "/SalesOrders/../Customers"]
    static let queries = ["", "pageSize=%", "pageSize=5&pageSize=7", "orderStatus=,,,", "modifiedSince=2025-02-30",
                          "customerCode=%E2%82%AC", "startDate=/Date(9223372036854775807)/", "endDate=0000-01-01", "a=b=c&&&"]
    static let values: [JSONValue] = [.null, true, 0, -1, "", "x", [], [:], .number(JSONNumber(text: "1e400")!),
                                      .number(JSONNumber(text: "-0.000000000000000000000000000000000001")!),
                                      .number(JSONNumber(text: "99999999999999999999999999999999999999")!), "/Date(-1)/"]

    /// A valid order with one field (top level or on the line) replaced by an odd value.
    static func mutatedOrder(_ generator: inout SplitMix64) -> JSONValue {
        var order = Fixture.order(guid: Fixture.guid(1))
        let value = values[Int(generator.next() % UInt64(values.count))]
        if generator.next() % 2 == 0 {
            let key = order.keys[Int(generator.next() % UInt64(order.keys.count))]
            order[key] = value
        } else {
            var line = order["SalesOrderLines"]?[0]?.objectValue ?? JSONObject()
            let key = line.keys[Int(generator.next() % UInt64(line.keys.count))]
            line[key] = value
            order["SalesOrderLines"] = [.object(line)]
        }
        return .object(order)
    }

    @Test func randomRequestsGetWellFormedAnswers() async throws {
        try await Fixture.withSandbox { client, _ in
            var generator = SplitMix64(seed: 2026)
            let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch]
            for _ in 0..<400 {
                let method = methods[Int(generator.next() % UInt64(methods.count))]
                let path = Self.paths[Int(generator.next() % UInt64(Self.paths.count))]
                let query = Self.queries[Int(generator.next() % UInt64(Self.queries.count))]
                let body = generator.next() % 4 == 0 ? nil : Self.mutatedOrder(&generator)
                let response = try await client.call(method, path, query: query, body: body)
                #expect([200, 400, 404, 405, 500].contains(response.status.code), "\(method) \(path)?\(query) → \(response.status)")
                if response.status != .ok {
                    #expect(response.errorDescription?.isEmpty == false, "\(method) \(path)?\(query)")
                    #expect(response.json["DebugInformation"] == .null)
                }
            }
            #expect(try await client.call(.get, "/Taxes").status == .ok)
        }
    }

    @Test func garbageBodiesAreRefusedNotFatal() async throws {
        try await Fixture.withSandbox { client, _ in
            var generator = SplitMix64(seed: 99)
            for length in [1, 2, 7, 64, 1000] {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let response = try await client.execute(uri: "/SalesOrders/\(Fixture.guid(1))", method: .post,
                                                        headers: Fixture.headers(signing: ""), body: ByteBuffer(bytes: bytes))
                #expect([400, 500].contains(response.status.code))
            }
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let nested = try await client.execute(uri: "/Customers/\(Fixture.guid(1))", method: .post,
                                                  headers: Fixture.headers(signing: ""), body: ByteBuffer(string: deep))
            #expect(nested.status == .internalServerError)
        }
    }
}
