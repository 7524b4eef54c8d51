import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// `omsync preview --against-unleashed` (the built binary): with read-only calls it learns the
/// warehouses and which pushed orders were changed in Unleashed, so it shows `block` where the
/// ledger alone shows `replace`; and it writes nothing to Unleashed.
@Suite struct PreviewAgainstUnleashedTests {
    static let orderID = "3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e31"

    /// Writes a private credentials file for the fixture's sandbox.
    static func credentials(_ fx: PushFixture) throws -> String {
        let path = fx.folder.appendingPathComponent("credentials").path
        let body = #"{"apiId":"\#(PushFixture.apiID)","apiKey":"\#(PushFixture.apiKey)","apiURL":"http://127.0.0.1:\#(fx.port)"}"#
        _ = FileManager.default.createFile(atPath: path, contents: Data(body.utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    static func actions(_ run: OMSyncBinary.Run) throws -> [String] {
        let json = try JSONValue.parse(run.output)
        return (json["orders"]?.arrayValue ?? []).compactMap { $0["action"]?.stringValue }
    }

    @Test func aChangeInUnleashedTurnsReplaceIntoBlockWithReadOnlyCalls() async throws {
        try await PushFixture.with { fx in
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20031")])
            let guid = try #require(try await fx.salesOrders(customerRef: "OM20031").first?["Guid"]?.stringValue)
            let edited = OM.order(id: Self.orderID, number: "OM20031", lines: [("COF-1KG", 7, "28.7900")])
            let batch = fx.folder.appendingPathComponent("edited.json")
            try Data(JSONValue.array([edited]).serialized().utf8).write(to: batch)
            let credentials = try Self.credentials(fx)
            let common = ["preview", "--format", "json", "--ledger", fx.ledgerPath, batch.path]

            let untouched = try await Self.run(common + ["--against-unleashed", "--credentials", credentials])
            #expect(try Self.actions(untouched) == ["replace"], "\(untouched.errors)")

            try await fx.editInWebApp(guid: guid, set: .object(JSONObject([("OrderStatus", .string("Completed"))])))
            let ledgerOnly = try await Self.run(common)
            #expect(try Self.actions(ledgerOnly) == ["replace"], "the ledger alone cannot know")
            let before = try await fx.calls()
            let asked = try await Self.run(common + ["--against-unleashed", "--credentials", credentials])
            #expect(try Self.actions(asked) == ["block"], "\(asked.errors)")
            #expect(asked.errors.contains("read-only call"), "\(asked.errors)")
            let after = try await fx.calls()
            let writes = after.filter { $0.key.hasPrefix("POST") || $0.key.hasPrefix("PUT") || $0.key.hasPrefix("DELETE") }
            let writesBefore = before.filter { $0.key.hasPrefix("POST") || $0.key.hasPrefix("PUT") || $0.key.hasPrefix("DELETE") }
            #expect(writes == writesBefore, "a preview writes nothing to Unleashed")
            #expect((after["GET /Warehouses"] ?? 0) > (before["GET /Warehouses"] ?? 0))
            #expect(!asked.output.contains(PushFixture.apiKey) && !asked.errors.contains(PushFixture.apiKey))
            // The calls count against the month in the ledger.
            let month = try await fx.ledger().calls(month: Self.month())
            #expect((month["GET /Warehouses"] ?? 0) >= 1)
        }
    }

    @Test func warehousesComeFromUnleashed() async throws {
        try await PushFixture.with { fx in
            // A cancelled order that was pushed is superseded: into OM_DELETE when that warehouse
            // exists (the sandbox has it), which only Unleashed can tell the preview.
            _ = try await fx.importOrders([OM.order(id: Self.orderID, number: "OM20032")])
            let batch = fx.folder.appendingPathComponent("cancelled.json")
            try Data(JSONValue.array([OM.order(id: Self.orderID, number: "OM20032", cancelled: true)]).serialized().utf8).write(to: batch)
            let common = ["preview", "--format", "json", "--ledger", fx.ledgerPath, batch.path]
            let asked = try await Self.run(common + ["--against-unleashed", "--credentials", try Self.credentials(fx)])
            let local = try await Self.run(common)
            try #require(asked.status == 0 || asked.status == 1, "\(asked.status): \(asked.errors)")
            #expect(try Self.actions(asked) == ["supersede"], "\(asked.errors)")
            let set = try JSONValue.parse(asked.output)["orders"]?[0]?["supersede"]?["set"]
            #expect(set?["Warehouse.WarehouseCode"]?.stringValue == "OM_DELETE", "\(set?.serialized() ?? asked.output)")
            let localSet = try JSONValue.parse(local.output)["orders"]?[0]?["supersede"]?["set"]
            #expect(localSet?["OrderStatus"]?.stringValue == "Deleted", "without Unleashed no warehouse is known: \(local.output)")
        }
    }

    /// Runs the binary, waited for on a thread of its own: waiting on the cooperative pool (2
    /// threads on this machine) would starve the in-process sandbox that the binary is calling.
    static func run(_ arguments: [String]) async throws -> OMSyncBinary.Run {
        try await OMSyncBinary.run(arguments)
    }

    static func month() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: Date())
        return String(format: "%04d-%02d", parts.year ?? 1970, parts.month ?? 1)
    }
}
