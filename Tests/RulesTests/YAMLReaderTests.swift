import Testing
@testable import Rules

/// Hostile and malformed YAML: each gets its code and libyaml's place, and nothing expands.
@Suite struct YAMLReaderTests {
    func read(_ text: String) -> (YAMLNode?, [String]) {
        let (node, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: text))
        return (node, problems.map { "\($0.code) \($0.location.map { "\($0.line):\($0.column)" } ?? "-")" })
    }

    @Test func scalarsKeepTheirStyleAndPlace() throws {
        let (node, problems) = read("a: plain\nb: \"double\"\nc: 'single'\nd: >-\n  folded\ne: |\n  literal\n")
        #expect(problems.isEmpty)
        let root = try #require(node)
        #expect(root["a"]?.style == .plain)
        #expect(root["b"]?.style == .doubleQuoted)
        #expect(root["c"]?.style == .singleQuoted)
        #expect(root["d"]?.style == .folded)
        #expect(root["e"]?.style == .literal)
        #expect(root["b"]?.location == Rules.SourceLocation(file: "y.yaml", line: 2, column: 4))
        #expect(root["e"]?.scalar == "literal\n")
    }

    @Test func malformedYAMLReportsLibyamlsPlace() {
        let (node, problems) = read("a: [1, 2\nb: 3\n")
        #expect(node == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("E003") == true)
    }

    @Test func colonSpaceInAnExpressionGetsAHint() {
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: "x: a ? b : c\n"))
        #expect(problems.map(\.code) == ["E003"])
        #expect(problems.first?.hint?.contains(">-") == true)
    }

    @Test func duplicateKeysAreReportedAtTheSecondOne() throws {
        let (node, problems) = read("a: 1\nb: 2\na: 3\n")
        #expect(problems == ["E004 3:1"])
        #expect(try #require(node)["a"]?.scalar == "1")
    }

    @Test func aliasesAndAnchorsAreRejectedWithoutExpanding() {
        // The billion laughs: nine levels of nine aliases would be 9^9 nodes if expanded.
        var text = "a0: &a0 [lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let (node, problems) = read(text)
        #expect(node != nil)
        #expect(problems.count == 10 + 81)
        #expect(problems.allSatisfy { $0.hasPrefix("E005") })
    }

    @Test func tagsAreRejected() {
        #expect(read("a: !foo bar\nb: !!str 1\n").1 == ["E006 1:4", "E006 2:4"])
    }

    @Test func oneDocumentPerFile() {
        #expect(read("a: 1\n---\nb: 2\n").1 == ["E007 2:1"])
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let (_, problems) = read("a: " + deep + "\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("E010") == true)
        let (_, diagnostics) = YAMLReader.read(SourceText(path: "y.yaml", text: "a: " + deep + "\n"))
        #expect(diagnostics.first?.hint?.contains("dots") == true)
    }

    @Test func oversizeFilesAreRefusedBeforeParsing() {
        let big = "a: " + String(repeating: "x", count: YAMLReader.maxFileBytes) + "\n"
        #expect(read(big).1 == ["E002 1:1"])
    }

    @Test func emptyFileIsNoDocument() {
        let (node, problems) = read("# only a comment\n")
        #expect(node == nil)
        #expect(problems.isEmpty)
    }

    @Test func positionsFollowFoldedScalars() {
        let text = "x: >-\n  a ?\n  b : c\n"
        let source = SourceText(path: "y.yaml", text: text)
        let (node, _) = YAMLReader.read(source)
        guard let value = node?["x"], let scalar = value.scalar else {
            Issue.record("no scalar")
            return
        }
        #expect(scalar == "a ? b : c")
        let positions = source.positions(of: scalar, node: value)
        #expect("\(positions[0])" == "y.yaml:2:3")   // a
        #expect("\(positions[4])" == "y.yaml:3:3")   // b
        #expect("\(positions[8])" == "y.yaml:3:7")   // c
    }

    @Test func byteOrderMarkAndCRLFAreFine() throws {
        let (node, problems) = read("\u{FEFF}a: 1\r\nb: x + y\r\n")
        #expect(problems.isEmpty)
        let root = try #require(node)
        #expect(root["b"]?.scalar == "x + y")
        #expect(root["b"]?.location == Rules.SourceLocation(file: "y.yaml", line: 2, column: 4))
    }

    @Test func tabIndentationGetsAHint() {
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: "a:\n\tb: 1\n"))
        #expect(problems.map(\.code) == ["E003"])
        #expect(problems.first?.hint == "YAML does not allow tabs for indentation; use spaces")
    }

    @Test func anEmptyFileIsNoDocument() {
        let (node, problems) = read("")
        #expect(node == nil)
        #expect(problems.isEmpty)
    }
}
