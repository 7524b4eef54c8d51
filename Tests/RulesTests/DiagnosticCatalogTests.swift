import TestSupport
import Testing
@testable import Rules

/// Every diagnostic code is given by the real loader for its corpus input (`DiagnosticCorpus`),
/// is documented in docs/rules.md, and is well formed.
@Suite struct DiagnosticCatalogTests {
    /// The corpus input of `code`, loaded through the loader a user's run goes through, gives
    /// exactly the diagnostics the entry lists, among them `code` with the code's severity.
    @Test(arguments: DiagnosticCode.allCases)
    func theLoaderGivesTheCodeForItsCorpusInput(_ code: DiagnosticCode) throws {
        let entry = try #require(DiagnosticCorpus.entries.first { $0.code == code },
                                 "\(code.rawValue) has no corpus entry: add a minimal input that gives it to DiagnosticCorpus.entries")
        #expect(entry.expected.contains { $0.hasPrefix(code.rawValue + " ") },
                "the corpus entry of \(code.rawValue) does not list \(code.rawValue) among its diagnostics: \(entry.expected)")
        let diagnostics = try entry.load()
        let given = diagnostics.filter { $0.code == code.rawValue }
        #expect(!given.isEmpty, "the corpus input of \(code.rawValue) did not give it: \(diagnostics.map(\.description))")
        #expect(given.allSatisfy { $0.severity == code.severity }, "\(given.map(\.description))")
        #expect(diagnostics.map(DiagnosticCorpusEntry.summary) == entry.expected, "\(diagnostics.map(\.description))")
    }

    @Test func eachCodeHasOneCorpusEntry() {
        let codes = DiagnosticCorpus.entries.map(\.code.rawValue)
        #expect(Set(codes).count == codes.count, "codes with more than one entry: \(codes.filter { c in codes.filter { $0 == c }.count > 1 })")
    }

    @Test func everyCodeIsDocumentedWithItsSeverityAndSummary() throws {
        let docs = try String(contentsOfFile: Project.path("docs/rules.md"), encoding: .utf8)
        let rows = Set(docs.components(separatedBy: "\n"))
        let missing = DiagnosticCode.allCases.filter { !rows.contains("| \($0.rawValue) | \($0.severity.rawValue) | \($0.summary) |") }
        #expect(missing.isEmpty, "codes whose row in the table of docs/rules.md is missing or differs: \(missing.map(\.rawValue))")
    }

    @Test func codesAreUniqueAndWellFormed() {
        let raw = DiagnosticCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in DiagnosticCode.allCases {
            #expect(code.rawValue.count == 4)
            #expect(code.rawValue.first == "E" || code.rawValue.first == "W", "\(code.rawValue)")
            #expect(code.rawValue.unicodeScalars.dropFirst().allSatisfy { $0.isASCIIDigit }, "\(code.rawValue)")
            #expect(!code.summary.isEmpty)
        }
    }
}

extension DiagnosticCode: CustomTestStringConvertible {
    /// `E001 fileUnreadable`, so a failing case names its code.
    public var testDescription: String { "\(rawValue) \(self)" }
}
