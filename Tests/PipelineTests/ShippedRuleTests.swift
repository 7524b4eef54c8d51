import Batch
import Foundation
import Pipeline
import Rules
import TestSupport
import Testing

/// The shipped rule tests (`rules/tests/*.yaml`) run through the pipeline, as `omsync test` does.
@Suite struct ShippedRuleTests {
    static let loaded = RuleTestLoader.load(directory: Project.path("rules"))

    @Test func testFilesLoadWithoutErrors() {
        let errors = Self.loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        #expect(!Self.loaded.cases.isEmpty)
    }

    @Test(arguments: loaded.cases.map(\.name))
    func ruleTest(_ name: String) throws {
        let testCase = try #require(Self.loaded.cases.first { $0.name == name })
        let pipeline = try Fixtures.shipped(overrides: testCase.settings)
        let failures = RuleTestRunner.check(testCase, pipeline: pipeline)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }
}
