import Foundation
import Testing
@testable import Rules

/// Files that cannot be used: each is an error that says what, where (path, or file:line:col)
/// and what to do, and nothing else is made up around it (no "no rule files", no libyaml wording).
@Suite struct FileProblemTests {
    /// A fresh temporary directory with `files` (relative path → bytes).
    func directory(_ files: [String: [UInt8]] = [:]) throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let path = base + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        }
        return base
    }

    static let main = RuleLoaderDirectoryTests.main

    func messages(_ result: RuleLoadResult) -> String { result.diagnostics.map(\.description).joined(separator: "\n") }

    // MARK: 7. settings.yaml that is a directory or unreadable

    @Test func settingsYamlThatIsADirectoryIsAnErrorWithItsPath() throws {
        let dir = try directory(["a.yaml": Self.main])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/settings.yaml", withIntermediateDirectories: false)
        let result = RuleLoader.load(directory: dir)
        #expect(Fixture.codes(result) == ["E001 -"], "\(messages(result))")
        #expect(result.settings == nil)
        let d = try #require(result.diagnostics.first)
        #expect(d.message == "the settings file '\(dir)/settings.yaml' is a directory, not a file")
        #expect(d.hint?.contains("remove or rename the directory") == true)
    }

    @Test func settingsYamlThatIsABrokenLinkIsAnError() throws {
        let dir = try directory(["a.yaml": Self.main])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/settings.yaml", withDestinationPath: dir + "/gone.yaml")
        let result = RuleLoader.load(directory: dir)
        #expect(Fixture.codes(result) == ["E001 -"], "\(messages(result))")
        #expect(result.diagnostics.first?.message.contains("is a symbolic link to '\(dir)/gone.yaml', which does not exist") == true)
        #expect(result.diagnostics.first?.hint == "fix or remove the link")
    }

    @Test func settingsYamlThatIsAPipeIsAnErrorNotAHang() throws {
        let dir = try directory(["a.yaml": Self.main])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/settings.yaml", 0o644) == 0)
        let result = RuleLoader.load(directory: dir)
        #expect(Fixture.codes(result) == ["E001 -"], "\(messages(result))")
        #expect(result.diagnostics.first?.message.contains("is not a regular file (a named pipe)") == true)
    }

    @Test func explicitSettingsFileThatIsADirectoryIsAnError() throws {
        let dir = try directory(["a.yaml": Self.main, "conf/x": []])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir, settingsFiles: [dir + "/conf"])
        #expect(Fixture.codes(result) == ["E001 -"], "\(messages(result))")
        #expect(result.diagnostics.first?.message == "the settings file '\(dir)/conf' is a directory, not a file")
        #expect(result.settings == nil)
        let missing = RuleLoader.load(directory: dir, settingsFiles: [dir + "/nope.yaml"])
        #expect(missing.diagnostics.first?.message == "the settings file '\(dir)/nope.yaml' does not exist")
    }

    @Test func aRuleFileThatIsADirectoryIsAnErrorToo() throws {
        let dir = try directory(["a.yaml": Self.main, "more.yaml/x": []])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir)
        #expect(Fixture.codes(result) == ["E001 -"], "\(messages(result))")
        #expect(result.diagnostics.first?.message == "the rule file '\(dir)/more.yaml' is a directory, not a file")
    }

    // MARK: 8. control characters and non-UTF-8 bytes at their own line:col

    @Test func aControlCharacterIsReportedAtItsLineAndColumnWithItsValue() throws {
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: "a: 1\nb: 2\nc: x\u{7}y\n"))
        #expect(problems.map { "\($0.code) \($0.location.map { "\($0.line):\($0.column)" } ?? "-")" } == ["E003 3:5"])
        let d = try #require(problems.first)
        #expect(d.message == "control character U+0007 (byte 0x07) is not allowed in a YAML file")
        #expect(d.hint?.contains("delete it") == true)
    }

    @Test func controlCharactersFarIntoTheFileAndAfterWideCharactersKeepTheirPlace() {
        // libyaml's reader reads ahead of its parser: this one is met before line 1 is parsed.
        let text = "a: 1\n" + String(repeating: "b: 2\n", count: 3000) + "c: \"é€𝄞\u{0}\"\n\u{FEFF}"
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: text))
        #expect(problems.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-")" } == ["3002:8"])
        #expect(problems.first?.message.contains("U+0000 (byte 0x00)") == true)
        let wide = YAMLReader.read(SourceText(path: "y.yaml", text: "a: \u{FFFE}\n")).1
        #expect(wide.first?.message == "character U+FFFE (bytes 0xEF 0xBF 0xBE) is not allowed in a YAML file")
    }

    @Test func manyControlCharactersAreListedUpToALimit() {
        let text = String(repeating: "a\u{1}\n", count: 25)
        let (node, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: text))
        #expect(node == nil)
        #expect(problems.count == YAMLReader.maxCharacterReports)
        #expect(problems.map { $0.location?.line ?? 0 } == Array(1...10))
        #expect(problems.last?.message.hasSuffix("(and 15 more further on)") == true)
    }

    @Test func aByteOrderMarkIsNotCountedAsAColumn() {
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: "\u{FEFF}a: \u{8}\n"))
        #expect(problems.first?.location == Rules.SourceLocation(file: "y.yaml", line: 1, column: 4))
    }

    @Test func aNonUTF8ByteIsReportedAtItsLineAndColumnWithItsValue() throws {
        // "é" is one column; 0xE9 (Latin-1 é) is the first bad byte, at line 3, column 8.
        let bytes = Array("version: 1\n# é\nnote: x".utf8) + [0xE9, 0x0A, 0xFF, 0x0A]
        let dir = try directory(["a.yaml": bytes])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir)
        #expect(Fixture.codes(result) == ["E001 3:8"], "\(messages(result))")
        let d = try #require(result.diagnostics.first)
        #expect(d.message == "byte 0xE9 is not valid UTF-8; a rule file must be UTF-8 text (1 more byte further on is not UTF-8 either)")
        #expect(d.hint?.contains("re-save the file as UTF-8") == true)
        // The line is shown with the caret under the bad byte.
        #expect(result.render(color: false).contains("  note: x\u{FFFD}\n         ^"), "\(result.render(color: false))")
    }

    @Test(arguments: [
        ([0x61, 0xC0, 0x80], 1),             // overlong NUL
        ([0x61, 0xED, 0xA0, 0x80], 1),       // a UTF-16 surrogate
        ([0x61, 0xF5, 0x80, 0x80, 0x80], 1), // beyond U+10FFFF
        ([0x61, 0xE2, 0x82], 1),             // cut short at the end
        ([0x61, 0xE2, 0x82, 0x41], 1),       // cut short before ASCII
        ([0x61, 0x80], 1),                   // a lone continuation byte
    ] as [([UInt8], Int)])
    func utf8CheckFindsTheFirstBadByte(bytes: [UInt8], offset: Int) {
        #expect(UTF8Check.firstInvalid(bytes)?.offset == offset)
        #expect(String(bytes: bytes, encoding: .utf8) == nil)
    }

    @Test func utf8CheckAcceptsWhatSwiftAccepts() {
        let good = "a é € 𝄞 \u{10FFFF} \u{E000}"
        #expect(UTF8Check.firstInvalid(Array(good.utf8)) == nil)
    }

    // MARK: 9. no spurious "no rule files"

    @Test(arguments: ["notutf8", "toolarge", "directory"])
    func anUnusableOnlyRuleFileIsNotAlsoNoRuleFiles(kind: String) throws {
        let dir: String
        switch kind {
        case "notutf8": dir = try directory(["a.yaml": [0x76, 0x3A, 0x20, 0xFF, 0x0A]])
        case "toolarge": dir = try directory(["a.yaml": Array(repeating: UInt8(ascii: "#"), count: YAMLReader.maxFileBytes + 1)])
        default: dir = try directory(["a.yaml/x": []])
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir)
        #expect(result.diagnostics.count == 1, "\(messages(result))")
        #expect(!result.diagnostics.contains { $0.code == DiagnosticCode.noRuleFiles.rawValue })
    }

    @Test func anUnreadRuleFileDoesNotMakeItsSectionsMissing() throws {
        // version and sales_order live in the unreadable file: the other file is not told it lacks them.
        let dir = try directory(["a.yaml": Self.main + [0xFF, 0x0A], "b.yaml": Array("transitions:\n  - otherwise: true\n    do: create\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir, overrides: ["status=Placed"])
        #expect(Fixture.codes(result) == ["E001 4:1"], "\(messages(result))")
    }

    @Test func noRuleFilesIsStillSaidWhenThereAreNone() throws {
        let dir = try directory(["settings.yaml": Array("status: Placed\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Fixture.codes(RuleLoader.load(directory: dir)).contains("E008 -"))
    }

    // MARK: 13. libyaml's limits in the author's terms

    /// A long key in block, nested, flow and quoted form: (text, libyaml's place, key length).
    static let longKeys: [String: (String, String, Int)] = {
        let k = String(repeating: "k", count: 1100)
        return ["block": ("a: 1\n" + k + ": 2\n", "2:1101", 1100),
                "nested": ("a:\n  b:\n    " + k + ": 2\n", "3:1105", 1100),
                "flow": ("a: {" + k + ": 2}\n", "1:1105", 1100),
                "quoted": ("a: 1\n\"" + k + "\": 2\n", "2:1103", 1102)]
    }()

    @Test(arguments: ["block", "nested", "flow", "quoted"])
    func aKeyLongerThan1024CharactersIsSaidSo(form: String) throws {
        let (text, place, length) = try #require(Self.longKeys[form])
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: text))
        #expect(problems.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-")" } == [place])
        let d = try #require(problems.first)
        #expect(d.code == "E003")
        #expect(d.message == "a key longer than 1,024 characters (this one has \(length)); YAML keys must fit on one line of at most 1,024 characters")
        #expect(d.hint?.contains("shorten the key") == true)
        #expect(!d.message.contains("could not find expected"))
    }

    @Test func aKeyOf1024CharactersIsFine() {
        let (node, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: String(repeating: "k", count: 1024) + ": 2\n"))
        #expect(problems.isEmpty)
        #expect(node?[String(repeating: "k", count: 1024)]?.scalar == "2")
    }

    @Test func aKeyWithoutAColonOnItsLineIsSaidSo() throws {
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: "a: 1\nb\nc: 2\n"))
        let d = try #require(problems.first)
        #expect(problems.count == 1)
        #expect("\(d.location.map { "\($0.line):\($0.column)" } ?? "-")" == "3:1")
        #expect(d.message == "'b' at line 2 is read as a key, but no ':' follows it")
    }

    @Test func nestingPastLibyamlsLimitIsNestingTooDeepNotLibyamlWording() throws {
        // Flow nesting: libyaml's scanner runs ahead and stops at the second '[' before any depth is seen here.
        let flow = "a: " + String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100) + "\n"
        let (_, problems) = YAMLReader.read(SourceText(path: "y.yaml", text: flow))
        #expect(problems.map { "\($0.code) \($0.location.map { "\($0.line):\($0.column)" } ?? "-")" } == ["E010 1:5"])
        #expect(problems.first?.message == "YAML nested deeper than 64 levels (rule files may nest at most 64)")
        #expect(problems.allSatisfy { !$0.message.contains("yaml_set_max_nest_level") })
        // Block nesting: reported once, where it passes 64 (not again where libyaml gives up).
        let block = (0..<1100).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + "\n"
        let (_, deep) = YAMLReader.read(SourceText(path: "y.yaml", text: block))
        #expect(deep.map { "\($0.code) \($0.location.map { "\($0.line):\($0.column)" } ?? "-")" } == ["E010 65:65"])
        // A rule file that stopped there is not also told it has no version.
        let result = RuleLoader.load(files: [("m.yaml", flow)])
        #expect(Fixture.codes(result) == ["E010 1:5"])
    }

    // MARK: 15. --rules naming a file

    @Test func rulesNamingAFileSaysSoAndNamesTheFolder() throws {
        let dir = try directory(["a.yaml": Self.main])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir + "/a.yaml")
        #expect(Fixture.codes(result) == ["E001 -"])
        let d = try #require(result.diagnostics.first)
        #expect(d.message == "--rules '\(dir)/a.yaml' is a file, not a directory")
        #expect(d.hint == "--rules takes the folder that holds the rule files: pass --rules \(dir) (every *.yaml in it is read)")
        #expect(!d.message.contains("does not exist"))
        #expect(RuleLoader.load(directory: dir + "/nowhere").diagnostics.first?.message == "the rules directory '\(dir)/nowhere' does not exist")
    }
}
