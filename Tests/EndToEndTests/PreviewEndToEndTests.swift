import TestSupport
import Batch
import Foundation
import Testing

/// `omsync preview` and `omsync test` as a user runs them: the built binary
/// (`.build/debug/omsync`) from the package root, the shipped rules and samples.
struct PreviewEndToEndTests {
    typealias Run = OMSyncBinary.Run

    /// Runs `omsync ARGUMENTS` from the package root, optionally feeding standard input.
    func omsync(_ arguments: [String], input: Data? = nil) async throws -> Run {
        try await OMSyncBinary.run(arguments, input: input)
    }

    func lines(_ text: String) throws -> [JSONValue] {
        try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }

    @Test(arguments: ["orders-envelope.json", "orders-array.json", "orders.ndjson", "export.json"])
    func everySampleShapeGivesTheSamePlans(_ sample: String) async throws {
        let run = try await omsync(["preview", "--format", "ndjson", "samples/" + sample])
        // The samples hold two invalid orders on purpose: exit 1.
        #expect(run.status == 1, "\(run.errors)")
        let records = try lines(run.output)
        #expect(records.map { $0["source"]?["number"]?.stringValue ?? "" }
                == ["OM10452", "OM10453", "OM10454", "OM10455", "OM10456", "OM10457", "OM10458"])
        #expect(records.map { $0["action"]?.stringValue ?? "" }
                == ["create", "create", "skip", "invalid", "invalid", "skip", "create"])
        let first = try #require(records.first)
        #expect(first["payload"]?["Warehouse"]?["WarehouseCode"]?.stringValue == "SYD")
        #expect(first["payload"]?["RequiredDate"]?.stringValue == "2019-04-10T00:00:00")
        #expect(first["payload"]?["Total"]?.numberValue?.decimal == ExactDecimal("164.55"))
    }

    @Test func defaultTextFormatStartsWithASummary() async throws {
        let run = try await omsync(["preview", "samples/orders-envelope.json"])
        #expect(run.status == 1)
        #expect(run.output.hasPrefix("Preview: 7 orders: 3 create, 2 skip, 2 invalid"), "\(run.output.prefix(200))")
        #expect(run.output.contains("Invalid orders:"))
        #expect(run.output.contains("required property unleashed_customer_code"))
        #expect(run.output.contains("line 1: 3 × COF-1KG @ 28.7900 = 86.37 + tax 8.64 G.S.T."))
        #expect(!run.output.contains("\u{1B}["), "no colour when standard output is not a terminal")
    }

    @Test func jsonFormatHasSummaryOrdersAndBatchProblems() async throws {
        let run = try await omsync(["preview", "--format", "json", "samples/orders.ndjson"])
        let document = try JSONValue.parse(run.output)
        #expect(document["summary"]?["orders"]?.numberValue?.int == 7)
        #expect(document["summary"]?["actions"]?["create"]?.numberValue?.int == 3)
        #expect(document["summary"]?["actions"]?["invalid"]?.numberValue?.int == 2)
        #expect(document["orders"]?.arrayValue?.count == 7)
        #expect(document["batchProblems"]?.arrayValue?.isEmpty == true)
    }

    @Test func explainNamesRuleLocationsAndPropertyLevels() async throws {
        let run = try await omsync(["preview", "--format", "ndjson", "--explain", "samples/orders.ndjson"])
        let first = try #require(try lines(run.output).first)
        let warehouse = try #require(first["explain"]?["Warehouse.WarehouseCode"])
        #expect(warehouse["rule"]?.stringValue?.hasPrefix("rules/omsync.yaml:") == true)
        let sources = warehouse["sources"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(sources.contains { $0.contains("from customer") }, "\(sources)")
        let status = try #require(first["explain"]?["OrderStatus"])
        #expect(status["sources"]?.arrayValue?.first?.stringValue?.contains("settings.sales_order_status") == true)
    }

    @Test func settingsAndOverridesChangeThePayload() async throws {
        let run = try await omsync(["preview", "--format", "ndjson", "--set", "sync_order_number=true", "--set", "sales_order_status=Placed",
                              "samples/orders.ndjson"])
        let first = try #require(try lines(run.output).first)
        #expect(first["payload"]?["OrderNumber"]?.stringValue == "OM10452")
        #expect(first["payload"]?["OrderStatus"]?.stringValue == "Placed")
    }

    @Test func warehouseOptionSwitchesTheSupersedeRecipe() async throws {
        let without = try lines(try await omsync(["preview", "--format", "ndjson", "--assume", "pushed", "samples/orders.ndjson"]).output)
        let with = try lines(try await omsync(["preview", "--format", "ndjson", "--assume", "pushed", "--warehouse", "OM_DELETE",
                                         "samples/orders.ndjson"]).output)
        #expect(without[2]["supersede"]?["set"]?["OrderStatus"]?.stringValue == "Deleted")
        #expect(with[2]["supersede"]?["set"]?["Warehouse.WarehouseCode"]?.stringValue == "OM_DELETE")
        #expect(with[2]["supersede"]?["set"]?["CustomerRef"]?.stringValue == "OM10454 DELETED")
    }

    @Test func assumedStateFactsPreviewAReSync() async throws {
        let resync = try lines(try await omsync(["preview", "--format", "ndjson", "--assume", "pushed", "--assume", "changed",
                                           "samples/orders.ndjson"]).output)
        #expect(resync.map { $0["action"]?.stringValue ?? "" } == ["replace", "replace", "supersede", "invalid", "invalid", "supersede", "replace"])
        let blocked = try lines(try await omsync(["preview", "--format", "ndjson", "--assume", "pushed", "--assume", "changed_in_unleashed",
                                            "samples/orders.ndjson"]).output)
        #expect(blocked[0]["action"]?.stringValue == "block")
        #expect(blocked[0]["message"]?.stringValue == "Existing Order not in valid Status for Modification")
        let wrong = try await omsync(["preview", "--assume", "pushd", "samples/orders.ndjson"])
        #expect(wrong.status == 2)
        #expect(wrong.errors.contains("pushed, changed, changed_in_unleashed"), "\(wrong.errors)")
    }

    @Test func outputFileAndStandardInput() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-preview-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let input = try Data(contentsOf: Project.url("samples/orders.ndjson"))
        let run = try await omsync(["preview", "--format", "ndjson", "--output", path, "-"], input: input)
        #expect(run.output.isEmpty)
        #expect(try lines(String(contentsOfFile: path, encoding: .utf8)).count == 7)
    }

    @Test func outputThatIsTheBatchIsRefusedAndTheBatchKept() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-same-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batch = try Data(contentsOf: Project.url("samples/orders.ndjson"))
        try batch.write(to: URL(fileURLWithPath: path))
        let run = try await omsync(["preview", "--format", "ndjson", "--output", path, path])
        #expect(run.status == 2)
        #expect(run.errors.contains("--output \(path) is the batch \(path)"), "\(run.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == batch, "the batch is untouched")
    }

    @Test func exitCodes() async throws {
        let clean = #"{"id":"o1","orderNumber":"OM1","properties":{"unleashed_customer_code":"C1"},"#
            + #""lineItems":[{"SKU":"A","quantity":1,"price":"1.0000","taxable":true}]}"# + "\n"
        #expect(try await omsync(["preview", "--format", "ndjson", "-"], input: Data(clean.utf8)).status == 0)
        #expect(try await omsync(["preview", "samples/no-such-batch.json"]).status == 2)
        #expect(try await omsync(["preview", "--format", "xml", "samples/orders.ndjson"]).status == 2)
        #expect(try await omsync(["preview", "--rules", "samples/no-such-rules", "samples/orders.ndjson"]).status == 2)
        let broken = try await omsync(["preview", "--set", "sales_order_status=Lost", "samples/orders.ndjson"])
        #expect(broken.status == 3)
        #expect(broken.output.isEmpty, "nothing is read when the rules have errors")
    }

    @Test func badLinesAreReportedAndTheRestGoesOn() async throws {
        let batch = #"{"id":"o1","orderNumber":"OM1","properties":{"unleashed_customer_code":"C1"}}"# + "\n{oops\n"
            + #"{"id":"o2","orderNumber":"OM2","properties":{"unleashed_customer_code":"C1"}}"# + "\n"
        let run = try await omsync(["preview", "--format", "ndjson", "-"], input: Data(batch.utf8))
        #expect(run.status == 1)
        #expect(try lines(run.output).count == 2)
        #expect(run.errors.contains("omsync preview: -:2:"), "\(run.errors)")
    }

    @Test func ruleTestsPass() async throws {
        let run = try await omsync(["test"])
        #expect(run.status == 0, "\(run.output)")
        let summary = try #require(run.output.split(separator: "\n").last { $0.hasSuffix(" passed, 0 failed") })
        let passes = run.output.split(separator: "\n").filter { $0.hasPrefix("PASS ") }.count
        #expect(passes > 0 && Int(summary.prefix { $0.isNumber }) == passes, "\(summary), \(passes) PASS lines")
    }

    @Test func ruleTestFilterThatMatchesNothingFails() async throws {
        let run = try await omsync(["test", "--filter", "no such case"])
        #expect(run.status == 1)
        #expect(run.output.contains(#"No case name contains "no such case"; nothing was tested."#), "\(run.output)")
    }

    @Test func ruleTestFilterRunsOnlyMatchingCases() async throws {
        let run = try await omsync(["test", "--filter", "freight"])
        #expect(run.status == 0, "\(run.output)")
        let names = run.output.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(!names.isEmpty)
        #expect(names.allSatisfy { $0.contains("freight") }, "\(names)")
    }

    @Test func aFailingRuleTestShowsExpectedAndGot() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-rules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Project.url("rules/omsync.yaml"), to: dir.appendingPathComponent("omsync.yaml"))
        let test = """
            tests:
              - name: wrong on purpose
                order: { id: o1, orderNumber: OM1, properties: { unleashed_customer_code: C1, unleashed_warehouse: W1 }, lineItems: [{ SKU: A, quantity: 1, price: "1.0000" }] }
                expect:
                  action: supersede
                  payload: { Customer.CustomerCode: C2 }
            """
        try test.write(to: dir.appendingPathComponent("tests/wrong.yaml"), atomically: true, encoding: .utf8)
        let run = try await omsync(["test", "--rules", dir.path])
        #expect(run.status == 1)
        #expect(run.output.contains("action: expected supersede, got create"), "\(run.output)")
        #expect(run.output.contains("payload Customer.CustomerCode: expected \"C2\", got \"C1\""), "\(run.output)")
        #expect(run.output.contains("wrong.yaml:6:"), "the failure names the expectation's line: \(run.output)")
        #expect(run.output.contains("0 passed, 1 failed"))
    }
}
