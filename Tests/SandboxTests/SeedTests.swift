import Batch
import Foundation
@testable import Sandbox
import Testing

@Suite struct SeedTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theBuiltInSeedIsTheSampleFile() throws {
        let sample = try String(contentsOf: Self.packageRoot.appendingPathComponent("samples/sandbox-seed.yaml"), encoding: .utf8)
        #expect(DefaultSeed.yaml == sample)
    }

    @Test func theDefaultSeedHasWhatTheIssueAsksFor() throws {
        let state = try SeedLoader.state(from: SeedLoader.parse(DefaultSeed.yaml, source: "built-in"), source: "built-in", nowMs: 0, user: "u")
        for code in ["MAIN", "OM_DELETE"] { #expect(state[.warehouses].record(code: code) != nil) }
        #expect(state[.taxes].record(code: "G.S.T.")?.body["TaxRate"] == Fixture.number("0.1"))
        #expect(state[.taxes].record(code: "NONE")?.body["TaxRate"] == 0)
        #expect(state[.currencies].record(code: "AUD") != nil)
        for resource in [Resource.products, .customers, .salespersons, .salesOrderGroups, .deliveryMethods] {
            #expect(state[resource].count >= 2, "\(resource)")
        }
        #expect(state[.products].record(code: "OM_FREIGHT")?.body["NeverDiminishing"] == true)
        #expect(state[.salesOrders].record(code: "SO-00000002")?.body["OrderStatus"] == "Completed")
        #expect(state.nextOrderNumber == 3)
    }

    @Test func derivedGuidsAreStableAndJSONSeedsWork() throws {
        let json = #"{"warehouses": [{"WarehouseCode": "W1"}], "taxes": [{"TaxCode": "T", "TaxRate": 0.125}]}"#
        let first = try SeedLoader.state(from: SeedLoader.parse(json, source: "a.json"), source: "a.json", nowMs: 0, user: "u")
        let second = try SeedLoader.state(from: SeedLoader.parse(json, source: "a.json"), source: "a.json", nowMs: 5, user: "u")
        let guid = try #require(first[.warehouses].record(code: "W1")?.guid)
        #expect(GuidMaker.isGuid(guid))
        #expect(second[.warehouses].record(code: "w1")?.guid == guid)
        #expect(first[.taxes].record(code: "T")?.body["TaxRate"] == Fixture.number("0.125"))
    }

    @Test(arguments: [
        ("invoices: []", "seed: unknown key 'invoices'"),
        ("warehouses: MAIN", "seed: warehouses must be a list"),
        ("warehouses: [{ WarehouseName: No code }]", "seed: warehouses[0]: WarehouseCode is required."),
        ("warehouses: [{ WarehouseCode: A }, { WarehouseCode: a }]", "seed: warehouses[1]: WarehouseCode 'a' is used twice."),
        ("warehouses: [{ WarehouseCode: SIXTEEN-CHARS-XX }]", "seed: warehouses[0]: WarehouseCode is longer than 15 characters (16)."),
        ("customers: [{ CustomerCode: C }]", "seed: customers[0]: Customer name is required (CustomerName)."),
        ("salesOrders: [{ OrderStatus: Parked }]", "seed: salesOrders[0]: Customer code is required (Customer.CustomerCode)."),
        ("taxes: [{ TaxCode: T, TaxRate: .inf }]", "seed: line 1: the number '.inf' cannot be used; write it in decimal"),
        ("warehouses: [ {", "seed: not valid YAML"),
    ])
    func badSeedsAreExplained(text: String, message: String) {
        #expect {
            _ = try SeedLoader.state(from: SeedLoader.parse(text, source: "seed"), source: "seed", nowMs: 0, user: "u")
        } throws: { error in
            (error as? SandboxSetupError)?.message.hasPrefix(message) == true
        }
    }
}
