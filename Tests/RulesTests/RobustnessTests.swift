import TestSupport
import Batch
import Yams
import Foundation
import Testing
@testable import Rules

/// Damaged input never crashes the loader, and every diagnostic points inside the file.
@Suite struct RobustnessTests {
    static let shipped = (try? String(contentsOfFile: Project.path("rules/omsync.yaml"), encoding: .utf8)) ?? ""
    static let pieces: [String] = [":", " ", "\n", "\"", "'", "&a ", "*a", "!t ", "- ", "[", "]", "{", "}", "?", "#", "(", ")",
                                   "??", " : ", "\t", "é", "order.", "line.", "not ", "1e99", ".", ",", "==", "-", "|", ">-"]

    /// Applies one random edit: delete, insert a piece, or duplicate a line.
    static func mutate(_ text: String, _ g: inout SplitMix64) -> String {
        var chars = Array(text.unicodeScalars)
        guard !chars.isEmpty else { return text }
        let at = Int.random(in: 0..<chars.count, using: &g)
        switch Int.random(in: 0..<3, using: &g) {
        case 0:
            chars.removeSubrange(at..<min(chars.count, at + Int.random(in: 1...4, using: &g)))
        case 1:
            chars.insert(contentsOf: pieces.randomElement(using: &g)?.unicodeScalars ?? "x".unicodeScalars, at: at)
        default:
            let lines = text.components(separatedBy: "\n")
            let n = Int.random(in: 0..<lines.count, using: &g)
            return (lines[...n] + [lines[n]] + lines[(n + 1)...]).joined(separator: "\n")
        }
        return String(String.UnicodeScalarView(chars))
    }

    @Test(arguments: 0..<8)
    func damagedRulesAreDiagnosedNotCrashed(seed: Int) {
        #expect(!Self.shipped.isEmpty)
        var g = SplitMix64(seed: UInt64(seed) &* 7919)
        var refusedByYams = 0
        for _ in 0..<40 {
            var text = Self.shipped
            for _ in 0..<Int.random(in: 1...3, using: &g) { text = Self.mutate(text, &g) }
            let result = RuleLoader.load(files: [("m.yaml", text)])
            let lineCount = text.components(separatedBy: "\n").count
            for d in result.diagnostics {
                guard let location = d.location else { continue }
                #expect(location.file == "m.yaml")
                #expect((1...lineCount).contains(location.line), "\(d)")
                #expect(location.column >= 1, "\(d)")
            }
            // An independent reader (Yams, composing the whole document) that refuses the text means
            // our loader must have refused it too, with an error that says where.
            if (try? Yams.compose(yaml: text)) == nil {
                refusedByYams += 1
                #expect(result.hasErrors, "Yams refuses this text but the loader accepted it:\n\(text)")
                #expect(result.diagnostics.contains { $0.severity == .error && $0.location != nil }, "\(result.diagnostics)")
            }
        }
        #expect(refusedByYams > 0, "the mutations must also make YAML that does not parse, or this checks nothing")
    }

    @Test(arguments: 0..<4)
    func randomExpressionsParseOrFail(seed: Int) {
        var g = SplitMix64(seed: UInt64(seed) &+ 101)
        let atoms = ["order.a", "line.b", "prop.warehouse", "settings.tax_rate", "1", "2.50", "\"t\"", "null", "omit", "true",
                     "round(", "local_date(", "lookup(\"regions\",", "(", ")", ",", "+", "-", "*", "/", "??", "?", ":", "==", "<",
                     "and", "or", "not", "[0]", ".x", "cancelled", "state.pushed"]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...14, using: &g)).compactMap { _ in atoms.randomElement(using: &g) }.joined(separator: " ")
            let (expression, problems) = ExpressionParser.parse(text, location: Fixture.at, scope: Fixture.scope)
            #expect((expression == nil) == problems.contains { $0.severity == .error }, "\(text)")
            for problem in problems {
                let column = problem.location?.column ?? 0
                #expect(column >= 10 && column <= 10 + text.unicodeScalars.count, "\(text): \(problem)")
            }
        }
    }
}
