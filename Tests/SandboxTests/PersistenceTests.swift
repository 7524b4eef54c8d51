import Batch
import Foundation
@testable import Sandbox
import Testing
import TestSupport

@Suite struct PersistenceTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func stateSurvivesARestart() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        let first = try Fixture.server(statePath: path)
        _ = try await first.store.createOrder(guid: Fixture.guid(1), body: Fixture.order(guid: Fixture.guid(1)))
        _ = try await first.store.upsertMaster(.customers, guid: Fixture.guid(9), body: JSONObject([("CustomerCode", "KEPT"), ("CustomerName", "Kept"), ("Email", "k@x")]))
        _ = await first.store.admit(endpoint: "GET /Taxes", authFailure: nil, chargeable: true)
        await first.store.flush()
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.json"])

        let second = try Fixture.server(statePath: path)
        let order = try await second.store.get(.salesOrders, guid: Fixture.guid(1))
        #expect(order["OrderNumber"]?.stringValue == "SO-00000001")
        #expect(try await second.store.get(.customers, guid: Fixture.guid(9))["CustomerCode"] == "KEPT")
        #expect(await second.store.callsDocument()["quotaUsed"] == 1)
        let next = try await second.store.createOrder(guid: Fixture.guid(2), body: Fixture.order(guid: Fixture.guid(2)))
        #expect(next["OrderNumber"]?.stringValue == "SO-00000002")
        let clash = Fixture.order(guid: Fixture.guid(3), orderNumber: "SO-00000001")
        await #expect(throws: APIError.invalid("Order number 'SO-00000001' already exists.")) {
            try await second.store.createOrder(guid: Fixture.guid(3), body: clash)
        }
        await second.store.flush()
    }

    @Test func changesAreSavedWithoutAnExplicitFlush() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        let server = try Fixture.server(statePath: path)
        _ = try await server.store.createOrder(guid: Fixture.guid(1), body: Fixture.order(guid: Fixture.guid(1)))
        // The save follows in about 100 ms. The watch runs on a thread of its own, so it sees the
        // file the moment it is written however busy the cooperative pool is; the long deadline
        // only guards against hanging forever (timings belong in benchmarks, not here).
        let guid = Fixture.guid(1)
        let saved = { @Sendable in
            (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self).contains(guid) } ?? false
        }
        try await OffPool.poll(everyMilliseconds: 20, for: 300, until: saved)
        #expect(saved())
        await server.store.flush()
    }

    @Test func aResetIsSavedToo() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        let server = try Fixture.server(statePath: path)
        _ = try await server.store.createOrder(guid: Fixture.guid(1), body: Fixture.order(guid: Fixture.guid(1)))
        await server.store.reset()
        await server.store.flush()
        let reloaded = try Fixture.server(statePath: path)
        await #expect(throws: APIError.self) { try await reloaded.store.get(.salesOrders, guid: Fixture.guid(1)) }
        await reloaded.store.flush()
    }

    @Test(arguments: [
        ("{\"version\": 1, ", "is not valid JSON"),
        ("[1, 2]", "the state file must hold a JSON object"),
        ("{\"version\": 2}", "unknown version"),
        ("{\"version\": 1, \"nextOrderNumber\": 9223372036854775807}", "nextOrderNumber must be a whole number from 1 to"),
        ("{\"version\": 1, \"salesOrders\": [{\"OrderNumber\": \"X\"}]}", "salesOrders[0] in the state file has no Guid"),
    ])
    func aDamagedStateFileStopsTheStartWithAReason(content: String, message: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Fixture.server(statePath: path)
        } throws: { error in
            (error as? SandboxSetupError)?.message.contains(message) == true
        }
    }
}

@Suite struct StoredRecordTests {
    @Test func storedJSONKeepsNoSpareCapacityAndParsesBack() throws {
        let order = Fixture.order(guid: Fixture.guid(1))
        let record = StoredRecord(body: order, resource: .salesOrders, guid: Fixture.guid(1), modifiedMs: 0)
        #expect(record.json.capacity < record.json.count + 64)
        #expect(record.body == order)
        let body = JSONObject([("CustomerCode", "C")])
        let customer = StoredRecord(body: body, resource: .customers, guid: Fixture.guid(2), modifiedMs: 0)
        #expect(customer.code == "C")
        #expect(customer.body == body)
    }
}
