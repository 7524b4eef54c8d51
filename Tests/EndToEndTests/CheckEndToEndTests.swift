import Batch
import Foundation
import TestSupport
import Testing

/// `omsync check` as a user runs it: the built binary on the shipped rules and the broken samples.
struct CheckEndToEndTests {
    @Test func theShippedRulesCheckClean() async throws {
        let run = try await OMSyncBinary.run(["check"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("rules OK"))
    }

    @Test func typosAreReportedWithPlaceCaretAndHintAndExitOne() async throws {
        let run = try await OMSyncBinary.run(["check", "--rules", "samples/broken-rules/typos"])
        #expect(run.status == 1)
        let text = run.output + run.errors
        #expect(text.contains("samples/broken-rules/typos/omsync.yaml:"))
        #expect(text.contains("error[E"))
        #expect(text.contains("^"))
        #expect(text.contains("did you mean"))
    }

    @Test func jsonFormatListsEveryDiagnostic() async throws {
        let run = try await OMSyncBinary.run(["check", "--rules", "samples/broken-rules/typos", "--format", "json"])
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

    @Test func aBadSettingOnTheCommandLineIsAnError() async throws {
        let run = try await OMSyncBinary.run(["check", "--set", "sales_order_status=Shipped"])
        #expect(run.status == 1)
        #expect((run.output + run.errors).contains("Shipped"))
    }

    @Test func usageErrorsExitTwo() async throws {
        #expect(try await OMSyncBinary.run(["check", "--bogus"]).status == 2)
        #expect(try await OMSyncBinary.run(["check", "--rules", "/nonexistent/rules"]).status == 2)
    }

    @Test func previewRefusesRulesWithErrorsBeforeReadingAnyRecord() async throws {
        let run = try await OMSyncBinary.run(["preview", "--rules", "samples/broken-rules/typos", "samples/orders.ndjson"])
        #expect(run.status == 3)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("error[E"))
    }

    /// A copy of the shipped rules in a fresh folder, changed by `edit`; removed by the caller.
    func rulesCopy(_ edit: (String) throws -> Void) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Project.path("rules/omsync.yaml"), toPath: dir + "/omsync.yaml")
        try edit(dir)
        return dir
    }

    @Test func aSettingsYamlThatIsADirectoryIsAnErrorWithItsPathAndExitsTwo() async throws {
        let dir = try rulesCopy { try FileManager.default.createDirectory(atPath: $0 + "/settings.yaml", withIntermediateDirectories: false) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try await OMSyncBinary.run(["check", "--rules", dir])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("error[E001]: the settings file '\(dir)/settings.yaml' is a directory, not a file"))
        #expect(run.output.contains("hint: "))
        let preview = try await OMSyncBinary.run(["preview", "--rules", dir, "samples/orders.ndjson"])
        #expect(preview.status == 2)
        #expect(preview.output.isEmpty)
    }

    @Test func anExplicitSettingsDirectoryIsAnErrorAndExitsTwo() async throws {
        let run = try await OMSyncBinary.run(["check", "--settings", "rules"])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("error[E001]: the settings file 'rules' is a directory, not a file"))
    }

    @Test func rulesNamingAFileSaysItIsAFileAndWhatToPass() async throws {
        let run = try await OMSyncBinary.run(["check", "--rules", "rules/omsync.yaml"])
        #expect(run.status == 2)
        #expect(run.output.contains("error[E001]: --rules 'rules/omsync.yaml' is a file, not a directory"))
        #expect(run.output.contains("pass --rules rules "))
        #expect(!run.output.contains("does not exist"))
    }

    @Test func aNonUTF8RuleFileIsReportedAtItsByteWithoutNoRuleFiles() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/omsync.yaml", contents: Data("version: 1\nnote: caf".utf8 + [0xE9, 0x0A])))
        let run = try await OMSyncBinary.run(["check", "--rules", dir])
        #expect(run.status == 1)
        #expect(run.output.contains("\(dir)/omsync.yaml:2:10: error[E001]: byte 0xE9 is not valid UTF-8"), "\(run.output)")
        #expect(!run.output.contains("E008"))
        #expect(!run.output.contains("no rule files"))
    }

    @Test func aControlCharacterIsReportedAtItsLineAndColumn() async throws {
        let dir = try rulesCopy { dir in
            var text = try String(contentsOfFile: dir + "/omsync.yaml", encoding: .utf8)
            text += "# trailing comment with a bell \u{7} in it\n"
            try text.write(toFile: dir + "/omsync.yaml", atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = try String(contentsOfFile: dir + "/omsync.yaml", encoding: .utf8).components(separatedBy: "\n").count - 1
        let run = try await OMSyncBinary.run(["check", "--rules", dir])
        #expect(run.status == 1)
        #expect(run.output.contains("\(dir)/omsync.yaml:\(lines):32: error[E003]: control character U+0007 (byte 0x07)"), "\(run.output)")
        #expect(!run.output.contains(":1:1:"))
    }
}
