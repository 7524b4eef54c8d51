import Batch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `omsync generate` as a user runs it: a batch on standard output or in a file (the same bytes),
/// its sandbox seed, and the whole way through: the generated batch previews and imports into a
/// sandbox started with that seed, every planned create arriving once.
@Suite(.serialized) struct GenerateEndToEndTests {
    static func value(_ sandbox: SandboxEndToEndTests.RunningSandbox, _ label: String) -> String {
        sandbox.printed.split(separator: "\n").first { $0.contains(label) }.map {
            String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
        } ?? ""
    }

    @Test func standardOutputAndFileHoldTheSameBatch() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("g.ndjson").path
        let printed = try await OMSyncBinary.run(["generate", "--orders", "40", "--seed", "2", "--shape", "ndjson"])
        #expect(printed.status == 0, "\(printed.errors)")
        let written = try await OMSyncBinary.run(["generate", "--orders", "40", "--seed", "2", "--shape", "ndjson", "--output", file])
        #expect(written.status == 0 && written.output.isEmpty, "\(written.errors)")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self) == printed.output)
        #expect(printed.output.split(separator: "\n").count == 40)
        let inspected = try JSONValue.parse(try await OMSyncBinary.run(["inspect", "--format", "json", file]).output)
        #expect(inspected["shape"]?.stringValue == "ndjson")
        #expect(inspected["orders"]?.numberValue?.int == 40)
        #expect(inspected["problems"]?.arrayValue?.isEmpty == true)
    }

    @Test(arguments: [
        (["generate", "--orders=-3"], "--orders must be 0 or more"),
        (["generate", "--orders", "5", "--shape", "xml"], "--shape"),
        (["generate"], "--orders"),
        (["generate", "--orders", "5", "--output", "/nonexistent-folder/x.json"], "/nonexistent-folder/x.json"),
    ])
    func badArgumentsExitTwoAndSayWhich(_ arguments: [String], _ mention: String) async throws {
        let run = try await OMSyncBinary.run(arguments)
        #expect(run.status == 2, "\(run.errors)")
        #expect(run.errors.contains(mention), "\(run.errors)")
        #expect(run.output.isEmpty)
    }

    @Test func aGeneratedBatchImportsIntoASandboxSeededForIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("generate-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = folder.appendingPathComponent("g.json").path, seed = folder.appendingPathComponent("seed.yaml").path
        let generated = try await OMSyncBinary.run(["generate", "--orders", "150", "--seed", "21", "--output", batch, "--sandbox-seed", seed])
        #expect(generated.status == 0, "\(generated.errors)")

        let preview = try JSONValue.parse(try await OMSyncBinary.run(["preview", "--format", "json", batch]).output)
        let creates = try #require(preview["summary"]?["actions"]?["create"]?.numberValue?.int)
        #expect(creates > 120, "nearly every generated order plans a create: \(creates)")

        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--seed", seed])
        let before = try Self.salesOrders(sandbox)
        let ledger = folder.appendingPathComponent("ledger.sqlite").path
        let environment = ["UNLEASHED_API_ID": Self.value(sandbox, "api id:"), "UNLEASHED_API_KEY": Self.value(sandbox, "api key:"),
                           "UNLEASHED_API_URL": sandbox.baseURL]
        let imported = try await OMSyncBinary.run(["import", batch, "--ledger", ledger, "--format", "json"], environment: environment)
        let summary = try JSONValue.parse(imported.output)
        #expect(summary["counts"]?["created"]?.numberValue?.int == creates, "\(imported.output) \(imported.errors)")
        #expect(summary["counts"]?["rejected"]?.numberValue?.int ?? 0 == 0, "\(imported.output)")
        #expect(try Self.salesOrders(sandbox) == before + creates)
        _ = sandbox.stop()
    }

    static func salesOrders(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> Int {
        let data = try BlockingHTTP.get(sandbox.baseURL + "/_sandbox/state")
        return try JSONValue.parse(Array(data))["salesOrders"]?.arrayValue?.count ?? -1
    }
}
