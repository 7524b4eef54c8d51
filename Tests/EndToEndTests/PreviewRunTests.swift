import Batch
import Foundation
import OMSyncCommands
import Testing
import TestSupport

/// `PreviewRun` and `RuleTestRun`, the libraries behind `omsync preview` and `omsync test`, in
/// process: what they plan, their failures and exit statuses, the worker count not changing a
/// byte, and the command printing exactly what the library renders.
struct PreviewRunTests {
    static func path(_ relative: String) -> String { Project.path(relative) }

    /// Runs a preview of `options` into a temporary file and returns the outcome and the bytes.
    func preview(_ options: PreviewRun.Options) throws -> (PreviewRun.Outcome, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("preview-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try PreviewRun(options)
        let outcome = run.plan(into: try OutputSink(path: file))
        return (outcome, String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self))
    }

    func options(_ batches: [String], format: PreviewFormat = .json) -> PreviewRun.Options {
        var options = PreviewRun.Options(batches: batches)
        options.rules = Self.path("rules")
        options.format = format
        return options
    }

    @Test func theSampleBatchPlansThreeCreatesAndTwoInvalid() throws {
        let (outcome, text) = try preview(options([Self.path("samples/orders-envelope.json")]))
        #expect(outcome.failed && outcome.status == .problems)
        let document = try JSONValue.parse(text)
        #expect(document["summary"]?["actions"]?["create"]?.numberValue?.int == 3)
        #expect(document["summary"]?["actions"]?["invalid"]?.numberValue?.int == 2)
        #expect(document["orders"]?.arrayValue?.count == 7)
    }

    @Test func theNumberOfWorkersChangesNoByte() throws {
        let batch = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: batch) }
        SyntheticBatch(orders: 1500, seed: 12, shape: .ndjson).write(to: try OutputSink(path: batch))
        var outputs: [String] = []
        for jobs in [1, 2, 5] {
            var options = options([batch], format: .ndjson)
            options.jobs = jobs
            options.explain = true
            let (outcome, text) = try preview(options)
            #expect(!outcome.failed || text.contains("\"invalid\""))
            outputs.append(text)
        }
        #expect(outputs[0].split(separator: "\n").count == 1500)
        #expect(outputs[1] == outputs[0])
        #expect(outputs[2] == outputs[0])
    }

    @Test func failuresComeBeforeAnyOrderWithTheirStatus() throws {
        var broken = options([Self.path("samples/orders-envelope.json")])
        broken.rules = Self.path("samples/broken-rules/typos")
        #expect(throws: PreviewRun.Failure.self) { try PreviewRun(broken) }
        do { _ = try PreviewRun(broken) } catch {
            #expect(error.status == .rules)
            guard case .rules(let result) = error else { Issue.record("expected .rules, got \(error)"); return }
            #expect(result.diagnostics.contains { $0.severity == .error })
            #expect(error.description.contains("the rules have errors"))
        }
        var missingRules = options([Self.path("samples/orders-envelope.json")])
        missingRules.rules = Self.path("no-such-rules")
        do { _ = try PreviewRun(missingRules); Issue.record("a missing rules directory must fail") } catch {
            #expect(error.status == .usage)
        }
        do { _ = try PreviewRun(options([Self.path("samples/no-such-batch.json")])); Issue.record("a missing batch must fail") } catch {
            #expect(error.status == .usage)
            #expect(error.description.contains("no-such-batch.json"))
        }
    }

    @Test(arguments: [PreviewFormat.text, .json, .ndjson, .html])
    func theCommandPrintsWhatTheLibraryRenders(_ format: PreviewFormat) async throws {
        let batch = Self.path("samples/orders-envelope.json")
        let (outcome, text) = try preview(options([batch], format: format))
        let run = try await OMSyncBinary.run(["preview", "--rules", Self.path("rules"), "--format", format.rawValue, batch])
        #expect(run.output == text)
        #expect(run.status == outcome.status.rawValue)
    }

    @Test func ruleTestsRunInProcess() {
        var options = RuleTestRun.Options()
        options.rules = Self.path("rules")
        let report = RuleTestRun(options).run()
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.passed >= 59)
        #expect(report.status == .ok)
        #expect(report.text.hasSuffix("\(report.passed) passed, 0 failed\n"))

        options.filter = "no case is called this"
        let none = RuleTestRun(options).run()
        #expect(none.passed == 0 && none.status == .problems)
        #expect(none.text.contains("No case name contains \"no case is called this\""))

        options.filter = nil
        options.rules = Self.path("samples/broken-rules/typos")
        let broken = RuleTestRun(options).run()
        #expect(broken.status == .rules)
        #expect(broken.passed + broken.failed == 0)
    }
}
