import Batch
import Foundation
import TestSupport
import Testing

/// `omsync check` as a user runs it: the built binary on the shipped rules and the broken samples.
struct CheckEndToEndTests {
    @Test func theShippedRulesCheckClean() throws {
        let run = try OMSyncBinary.run(["check"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("rules OK"))
    }

    @Test func typosAreReportedWithPlaceCaretAndHintAndExitOne() throws {
        let run = try OMSyncBinary.run(["check", "--rules", "samples/broken-rules/typos"])
        #expect(run.status == 1)
        let text = run.output + run.errors
        #expect(text.contains("samples/broken-rules/typos/omsync.yaml:"))
        #expect(text.contains("error[E"))
        #expect(text.contains("^"))
        #expect(text.contains("did you mean"))
    }

    @Test func jsonFormatListsEveryDiagnostic() throws {
        let run = try OMSyncBinary.run(["check", "--rules", "samples/broken-rules/typos", "--format", "json"])
        #expect(run.status == 1)
        let report = try JSONValue.parse(run.output)
        #expect(report["ok"]?.boolValue == false)
        let diagnostics = try #require(report["diagnostics"]?.arrayValue)
        #expect(diagnostics.count >= 5)
        for diagnostic in diagnostics {
            #expect(diagnostic["code"]?.stringValue?.isEmpty == false)
            #expect(diagnostic["line"]?.numberValue?.int ?? 0 > 0)
            #expect(diagnostic["file"]?.stringValue?.hasSuffix(".yaml") == true)
        }
    }

    @Test func aBadSettingOnTheCommandLineIsAnError() throws {
        let run = try OMSyncBinary.run(["check", "--set", "sales_order_status=Shipped"])
        #expect(run.status == 1)
        #expect((run.output + run.errors).contains("Shipped"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try OMSyncBinary.run(["check", "--bogus"]).status == 2)
        #expect(try OMSyncBinary.run(["check", "--rules", "/nonexistent/rules"]).status == 2)
    }

    @Test func previewRefusesRulesWithErrorsBeforeReadingAnyRecord() throws {
        let run = try OMSyncBinary.run(["preview", "--rules", "samples/broken-rules/typos", "samples/orders.ndjson"])
        #expect(run.status == 3)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("error[E"))
    }
}
