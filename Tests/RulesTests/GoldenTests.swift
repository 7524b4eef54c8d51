import Foundation
import TestSupport
import Testing
@testable import Rules

/// Broken rule files → the exact diagnostics text `omsync check` prints (without colour).
/// `Golden/<name>.yaml` is checked (with `Golden/<name>.golden-settings.yaml` as a settings
/// file when present) and compared with `Golden/<name>.expected`.
/// `OMSYNC_RECORD=1 swift test --filter RulesTests.GoldenTests` rewrites the expected files and
/// fails (TestSupport's `Golden`).
@Suite struct GoldenTests {
    static let directory = Project.path("Tests/RulesTests/Golden")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".golden-settings.yaml") }
            .map { String($0.dropLast(".yaml".count)) }.sorted()
    }

    @Test func thereAreGoldenCases() {
        #expect(Self.cases.count >= 6)
    }

    @Test(arguments: GoldenTests.cases)
    func golden(name: String) throws {
        let path = Self.directory + "/" + name + ".yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var settings: [(path: String, text: String)] = []
        let settingsPath = Self.directory + "/" + name + ".golden-settings.yaml"
        if let settingsText = try? String(contentsOfFile: settingsPath, encoding: .utf8) {
            settings.append(("Golden/\(name).golden-settings.yaml", settingsText))
        }
        let result = RuleLoader.load(files: [("Golden/\(name).yaml", text)], settingsFiles: settings, overrides: ["nope=1"])
        let actual = result.render(color: false) + "\n\n" + result.summary + "\n"
        Golden.check(actual, file: URL(fileURLWithPath: Self.directory + "/" + name + ".expected"))
    }
}
