import Foundation
import TestSupport
import Testing
@testable import Rules

/// `samples/broken-rules/<dir>`: each produces exactly the codes its `# expect:` line lists.
@Suite struct BrokenSamplesTests {
    static let samples = Project.path("samples/broken-rules")

    static var directories: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: samples)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: samples + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    @Test func thereAreSamples() {
        #expect(Self.directories.count >= 5)
    }

    @Test(arguments: BrokenSamplesTests.directories)
    func sampleGivesItsExpectedCodes(directory: String) throws {
        let text = try String(contentsOfFile: Self.samples + "/" + directory + "/omsync.yaml", encoding: .utf8)
        let expectLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("# expect:") })
        let expected = expectLine.dropFirst("# expect:".count).split(separator: " ").map(String.init).sorted()
        let result = RuleLoader.load(directory: Self.samples + "/" + directory)
        #expect(result.diagnostics.map(\.code).sorted() == expected, "\(result.render(color: false))")
        #expect(result.hasErrors)
    }
}
