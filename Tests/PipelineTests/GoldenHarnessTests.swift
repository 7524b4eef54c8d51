import Foundation
import TestSupport
import Testing

/// TestSupport's golden-file harness itself: what passes, what fails and what it says.
@Suite struct GoldenHarnessTests {
    /// A fresh temporary folder, for golden files that are not the repository's.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func diffShowsTheFirstDifferingLine() {
        let diff = Golden.diff(expected: "a\n{\"x\":1,\"y\":2}\nc", actual: "a\n{\"x\":1,\"y\":3}\nc")
        #expect(diff.contains("line 2, from character 12:"))
        #expect(diff.contains("expected: …{\"x\":1,\"y\":2}"))
        #expect(diff.contains("actual:   …{\"x\":1,\"y\":3}"))
        #expect(!diff.contains("line 1,") && !diff.contains("line 3,"), "only differing lines are shown")
    }

    @Test func diffShowsTheFirstFewAndCountsTheRest() {
        let diff = Golden.diff(expected: "1\n2\n3\n4\n5", actual: "x\nx\nx\nx\nx")
        #expect(diff.contains("line 3, from character 1:"))
        #expect(!diff.contains("line 4,"))
        #expect(diff.contains("5 lines differ in all (the first 3 shown)"))
    }

    @Test func diffSaysWhenTheLineCountsDiffer() {
        let diff = Golden.diff(expected: "a\nb\n", actual: "a\n")
        #expect(diff.contains("line 2, from character 1:"))
        #expect(diff.contains("actual:   …<no line>"))
        #expect(diff.contains("expected 3 lines, got 2"))
    }

    @Test func theSameTextPasses() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("same.txt")
        try "one\ntwo\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(Golden.compare("one\ntwo\n", file: file, record: false) == nil)
    }

    @Test func differentTextFailsWithTheDiff() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("differs.txt")
        try "one\ntwo\n".write(to: file, atomically: true, encoding: .utf8)
        let failure = try #require(Golden.compare("one\nthree\n", file: file, record: false))
        #expect(failure.hasPrefix("output differs from golden file \(file.path) (if the change is intended, record it with OMSYNC_RECORD=1):\n"))
        #expect(failure.contains("line 2, from character 2:"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "one\ntwo\n", "checking never writes")
    }

    @Test func aMissingFileFailsNamingItRelativeToThePackageAndHowToRecordIt() throws {
        let file = Project.url("Tests/PipelineTests/Golden/no-such-golden-file.ndjson")
        let failure = try #require(Golden.compare("x\n", file: file, record: false))
        #expect(failure.hasPrefix("missing golden file Tests/PipelineTests/Golden/no-such-golden-file.ndjson: "))
        #expect(failure.contains("OMSYNC_RECORD=1"))
        #expect(!FileManager.default.fileExists(atPath: file.path), "checking never writes")
    }

    @Test func recordingWritesTheFileAndNeverPasses() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("new/recorded.txt")
        let failure = try #require(Golden.compare("fresh\n", file: file, record: true))
        #expect(failure.hasPrefix("recorded golden file \(file.path) (OMSYNC_RECORD=1 never passes)"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "fresh\n")
        #expect(Golden.compare("fresh\n", file: file, record: true) != nil, "recording the same text is still not a pass")
        #expect(Golden.compare("fresh\n", file: file, record: false) == nil, "what was recorded then checks")
    }
}
