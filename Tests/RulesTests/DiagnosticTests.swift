import Foundation
import Testing
@testable import Rules

/// How a diagnostic reads: one line for editors, then the source line, a caret and the hint.
@Suite struct DiagnosticTests {
    let source = "version: 1\n\tname: ordr.x\nlast"
    let at = Rules.SourceLocation(file: "r.yaml", line: 2, column: 8)

    @Test func renderedWithSourceCaretAndHint() {
        let d = Diagnostic(.unknownName, "unknown name 'ordr'", at: at, hint: "did you mean 'order'?")
        #expect(d.rendered(source: source, color: false) == """
        r.yaml:2:8: error[E402]: unknown name 'ordr'
           name: ordr.x
                 ^
          hint: did you mean 'order'?
        """)
    }

    @Test func descriptionIsOneLine() {
        let d = Diagnostic(.noOtherwise, "no otherwise", at: at, hint: "add one")
        #expect(d.description == "r.yaml:2:8: warning[W604]: no otherwise (hint: add one)")
        #expect(d.severity == .warning)
    }

    @Test func withoutLocationOrSource() {
        let d = Diagnostic(.badOverride, "--set 'x' is not key=value", at: nil)
        #expect(d.rendered(source: nil, color: false) == "error[E206]: --set 'x' is not key=value")
        let located = Diagnostic(.syntax, "bad", at: Rules.SourceLocation(file: "r.yaml", line: 9, column: 1))
        #expect(located.rendered(source: source, color: false) == "r.yaml:9:1: error[E401]: bad")
    }

    @Test func caretStaysOnTheLine() {
        let d = Diagnostic(.syntax, "end", at: Rules.SourceLocation(file: "r.yaml", line: 3, column: 40))
        #expect(d.rendered(source: source, color: false).hasSuffix("  last\n      ^"))
    }

    @Test func colourOnlyWhenAsked() {
        let d = Diagnostic(.syntax, "bad", at: at, hint: "h")
        let plain = d.rendered(source: source, color: false)
        let coloured = d.rendered(source: source, color: true)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;31merror[E401]\u{1B}[0m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) == plain)
    }

    @Test func severitiesOrder() {
        #expect(Severity.error < .warning)
        #expect(Severity.warning < .note)
    }

    @Test func manyDiagnosticsInOneFileEachShowTheirOwnLine() {
        let count = 3000
        let text = (1...count).map { "    F\($0): 1" }.joined(separator: "\r\n") + "\r\n"
        let diagnostics = (1...count).map { Diagnostic(.unknownField, "f\($0)", at: Rules.SourceLocation(file: "r.yaml", line: $0, column: 5)) }
        let result = RuleLoadResult(outcome: .invalid, diagnostics: diagnostics + [Diagnostic(.syntax, "past the end",
                                    at: Rules.SourceLocation(file: "r.yaml", line: count + 1, column: 1))], sources: ["r.yaml": text])
        let blocks = result.render(color: false).components(separatedBy: "\n\n")
        #expect(blocks.count == count + 1)
        #expect(blocks[0] == "r.yaml:1:5: error[E501]: f1\n      F1: 1\n      ^")
        #expect(blocks[count - 1] == "r.yaml:\(count):5: error[E501]: f\(count)\n      F\(count): 1\n      ^")
        #expect(blocks[count] == "r.yaml:\(count + 1):1: error[E401]: past the end")
    }

    @Test func lineLookupHandlesCRLF() {
        #expect(Diagnostic.line(2, of: "a\r\nb\r\nc") == "b")
        #expect(Diagnostic.line(4, of: "a\nb\nc") == nil)
        #expect(Diagnostic.line(3, of: "a\nb\n") == nil)
        #expect(Diagnostic.line(2, of: "a\n\n") == "")
        #expect(Diagnostic.line(0, of: "a") == nil)
        #expect(Diagnostic.line(1, of: "") == nil)
    }
}
