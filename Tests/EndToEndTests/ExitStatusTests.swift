import Foundation
import OMSyncCommands
import Testing
import TestSupport

/// The exit statuses are named once (`ExitStatus`); the README's table lists exactly those.
struct ExitStatusTests {
    @Test func theReadmeTableListsEveryStatusAndNoOther() throws {
        let readme = try String(contentsOf: Project.url("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Exit codes").dropFirst().first)
            .components(separatedBy: "\n## ").first ?? ""
        let documented = section.split(separator: "\n").compactMap { line -> Int32? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.first.flatMap { Int32($0) }
        }
        #expect(documented.count == ExitStatus.allCases.count, "\(documented)")
        #expect(Set(documented) == Set(ExitStatus.allCases.map(\.rawValue)))
    }

    @Test func commandsExitWithTheNamedStatuses() async throws {
        #expect(try await OMSyncBinary.run(["check"]).status == ExitStatus.ok.rawValue)
        #expect(try await OMSyncBinary.run(["check", "--rules", "samples/broken-rules/typos"]).status == ExitStatus.problems.rawValue)
        #expect(try await OMSyncBinary.run(["inspect", "--format", "yaml", "samples/shapes/array.json"]).status == ExitStatus.usage.rawValue)
        #expect(try await OMSyncBinary.run(["preview", "--rules", "samples/broken-rules/typos", "samples/orders-envelope.json"]).status
                == ExitStatus.rules.rawValue)
    }
}
