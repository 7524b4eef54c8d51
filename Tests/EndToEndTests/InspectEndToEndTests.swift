import TestSupport
import Testing
import Foundation
import Batch

/// `omsync inspect` as a user runs it: the built binary (`.build/debug/omsync`), real files,
/// standard input, output formats and exit codes.
struct InspectEndToEndTests {
    static let shapes = Project.path("samples/shapes")
    typealias Run = OMSyncBinary.Run

    /// Runs `omsync ARGUMENTS` from the package root, optionally feeding standard input.
    func omsync(_ arguments: [String], input: Data? = nil) async throws -> Run {
        try await OMSyncBinary.run(arguments, input: input)
    }

    @Test(arguments: [
        ("array.json", "array", 3), ("orders.ndjson", "ndjson", 3), ("envelope.json", "envelope", 3),
        ("export.json", "export", 3), ("export-customers-first.json", "export", 3), ("single.json", "single", 1),
    ])
    func cleanSamplesExitZero(_ file: String, _ shape: String, _ orders: Int) async throws {
        let run = try await omsync(["inspect", "--format", "json", "samples/shapes/" + file])
        #expect(run.status == 0, "\(run.errors)")
        let summary = try JSONValue.parse(run.output)
        #expect(summary["path"]?.stringValue == "samples/shapes/" + file)
        #expect(summary["shape"]?.stringValue == shape)
        #expect(summary["orders"]?.numberValue?.int == orders)
        #expect(summary["problems"]?.arrayValue?.isEmpty == true)
    }

    @Test func brokenBatchExitsOneAndSaysWhere() async throws {
        let run = try await omsync(["inspect", "--format", "json", "samples/shapes/broken.json"])
        #expect(run.status == 1)
        let summary = try JSONValue.parse(run.output)
        #expect(summary["shape"]?.stringValue == "envelope")
        #expect(summary["orders"]?.numberValue?.int == 2)
        let problem = try #require(summary["problems"]?[0])
        #expect(problem["record"]?.numberValue?.int == 2)
        #expect(problem["line"]?.numberValue?.int == 122)
        #expect(problem["column"]?.numberValue?.int == 34)
        #expect(problem["message"]?.stringValue == "invalid JSON in record 2: expected a string key in object, found character ','; reading stopped here after 2 orders")
        let text = try await omsync(["inspect", "samples/shapes/broken.json"])
        #expect(text.status == 1)
        #expect(text.output.contains("samples/shapes/broken.json:122:34: error: invalid JSON in record 2"))
    }

    @Test func standardInputExportWithCustomersAfterOrders() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.shapes + "/export.json"))
        let run = try await omsync(["inspect", "--format", "json", "-"], input: data)
        #expect(run.status == 0, "\(run.errors)")
        let summary = try JSONValue.parse(run.output)
        #expect(summary["path"]?.stringValue == "-")
        #expect(summary["shape"]?.stringValue == "export")
        #expect(summary["customers"]?.numberValue?.int == 2)
        #expect(summary["ordersWithCustomer"]?.numberValue?.int == 3)
    }

    @Test func severalBatchesGiveAnArray() async throws {
        let run = try await omsync(["inspect", "--format", "json", "samples/shapes/array.json", "samples/shapes/broken-lines.ndjson"])
        #expect(run.status == 1)
        let all = try JSONValue.parse(run.output)
        #expect(all.arrayValue?.count == 2)
        #expect(all[1]?["problems"]?.arrayValue?.count == 1)
    }

    @Test(arguments: [
        (["inspect"], "give at least one batch file"),
        (["inspect", "--format", "xml", "samples/shapes/array.json"], "The value 'xml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'"),
        (["inspect", "--bogus", "samples/shapes/array.json"], "unknown option '--bogus'"),
        (["inspect", "samples/shapes/missing.json"], "cannot open samples/shapes/missing.json: No such file or directory"),
    ])
    func usageErrorsAndUnreadableFilesExitTwo(_ arguments: [String], _ message: String) async throws {
        let run = try await omsync(arguments)
        #expect(run.status == 2)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(run.output.isEmpty)
    }

    @Test func echoWritesEveryOrderAsJSONLines() async throws {
        let run = try await omsync(["inspect", "--echo", "samples/shapes/envelope.json"])
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 3)
        let original = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: Self.shapes + "/envelope.json"))))
        #expect(try JSONValue.parse(String(lines[1])) == original["data"]?[1])
    }
}
