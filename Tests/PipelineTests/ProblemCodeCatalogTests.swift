import Batch
import Foundation
import Pipeline
import Rules
import TestSupport
import Testing

/// The plan problem codes are one enum, documented in docs/rules.md ("Plan problem codes") and
/// each produced from a real input (`ProblemCodeCorpus`), and a problem is data: code, field, rule location; the order's label is
/// added by whoever renders it.
@Suite struct ProblemCodeCatalogTests {
    static func docs() throws -> String {
        try String(contentsOfFile: Project.path("docs/rules.md"), encoding: .utf8)
    }

    @Test func everyCodeIsDocumentedWithItsSeverityAndSummary() throws {
        let rows = Set(try Self.docs().components(separatedBy: "\n"))
        let missing = ProblemCode.allCases.filter { !rows.contains("| `\($0.rawValue)` | \($0.severity.rawValue) | \($0.summary) |") }
        #expect(missing.isEmpty, "codes whose row in the table of docs/rules.md is missing or differs: \(missing.map(\.rawValue))")
    }

    @Test func theDocumentationListsNoCodeThatDoesNotExist() throws {
        let documented = try Self.docs().components(separatedBy: "\n").compactMap { row -> String? in
            guard row.hasPrefix("| `E-") || row.hasPrefix("| `W-") else { return nil }
            return row.dropFirst(3).split(separator: "`", maxSplits: 1).first.map(String.init)
        }
        #expect(!documented.isEmpty, "the table of plan problem codes is in docs/rules.md")
        let unknown = documented.filter { ProblemCode(rawValue: $0) == nil }
        #expect(unknown.isEmpty, "docs/rules.md lists codes that ProblemCode does not have: \(unknown)")
        #expect(Set(documented).count == documented.count, "each code has one row: \(documented)")
    }

    @Test func codesAreUniqueAndWellFormed() {
        let raw = ProblemCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in ProblemCode.allCases {
            #expect(code.rawValue.hasPrefix("E-") || code.rawValue.hasPrefix("W-"), "\(code.rawValue)")
            #expect(code.rawValue.dropFirst(2).allSatisfy { $0.isUppercase || $0 == "-" }, "\(code.rawValue)")
            #expect(code.severity == (code.rawValue.hasPrefix("E-") ? .error : .warning))
            #expect(!code.summary.isEmpty)
        }
    }

    static let rules = """
        version: 1
        sales_order:
          fields:
            Customer.CustomerCode: "C1"
            Comments: order.t * 2
        transitions:
          - otherwise: true
            do: create
        """

    @Test func aProblemCarriesItsRuleAndThePreviewRecordShowsIt() throws {
        let plan = try Fixtures.pipeline(Self.rules).plan(try Fixtures.record(#"{"id":"o1","orderNumber":"OM1","t":"x"}"#))
        let problem = try #require(plan.problems.first)
        #expect(problem.code == .expression)
        #expect(problem.rule == Rules.SourceLocation(file: "test.yaml", line: 5, column: 23), "at the operator: \(String(describing: problem.rule))")
        #expect(!problem.message.contains("OM1"))
        let record = try #require(plan.jsonValue["problems"]?[0]?.objectValue)
        #expect(record.keys == ["severity", "code", "message", "field", "rule"], "the existing members first, then rule")
        #expect(record["rule"]?.stringValue == "test.yaml:5:23")
        #expect(record["message"]?.stringValue == "order OM1 (index 0): " + problem.message, "the record names the order")
        #expect(record["code"]?.stringValue == "E-EXPR")
    }

    @Test func anOrderLevelProblemHasNoRule() throws {
        let plan = try Fixtures.pipeline(Self.rules).plan(try Fixtures.record(#"{"orderNumber":"OM2"}"#))
        let problem = try #require(plan.problems.first { $0.code == .noID })
        #expect(problem.rule == nil)
        #expect(plan.jsonValue["problems"]?[0]?["rule"]?.isNull == true)
    }

    @Test func ruleTestsMatchSeverityAndCodeAndRefuseUnknownCodes() throws {
        let pipeline = try Fixtures.pipeline(Self.rules)
        let at = Rules.SourceLocation(file: "tests/t.yaml", line: 3, column: 5)
        let order = try JSONValue.parse(#"{"id":"o1","orderNumber":"OM1","t":"x"}"#)
        func failures(_ expected: RuleTestCase.ProblemExpectation) -> [String] {
            RuleTestRunner.check(RuleTestCase(name: "t", location: at, order: order, expectProblems: [expected]), pipeline: pipeline)
                .map(\.message)
        }
        #expect(failures(.init(severity: .error, code: "E-EXPR", field: "Comments", messageContains: "cannot multiply", location: at)) == [])
        #expect(failures(.init(severity: .warning, code: "E-EXPR", field: nil, messageContains: nil, location: at)).count == 1)
        let unknown = failures(.init(code: "E-NOPE", field: nil, messageContains: nil, location: at))
        #expect(unknown.count == 1 && unknown[0].contains("\"E-NOPE\" is not a plan problem code"), "\(unknown)")
    }
}
