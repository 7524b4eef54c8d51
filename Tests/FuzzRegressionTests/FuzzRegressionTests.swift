import BatchFuzzEntry
import ExpressionFuzzEntry
import Foundation
import RulesFuzzEntry
import SandboxFuzzEntry
import TestSupport
import Testing

/// Replays every input the fuzzers found (`Tests/FuzzRegressions/<harness>/`, one file each)
/// through the harnesses' own entry points, in the normal debug build: a crash or a broken
/// invariant that comes back fails here, cheaply, in CI (docs/reliability.md, "Fuzzing").
@Suite struct FuzzRegressionTests {
    /// The harnesses and their entry points.
    static let harnesses: [String: @Sendable ([UInt8]) -> [String]] = [
        "batch": BatchFuzzEntry.run,
        "rules": RulesFuzzEntry.run,
        "expression": ExpressionFuzzEntry.run,
        "sandbox": SandboxFuzzEntry.run,
    ]

    /// Every (harness, file) pair.
    static let inputs: [String] = harnesses.keys.sorted().flatMap { harness in
        let folder = Project.path("Tests/FuzzRegressions/\(harness)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { "\(harness)/\($0)" }
    }

    @Test func everyHarnessHasItsFolder() {
        for harness in Self.harnesses.keys {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: Project.path("Tests/FuzzRegressions/\(harness)"), isDirectory: &isDirectory)
            #expect(exists && isDirectory.boolValue, "Tests/FuzzRegressions/\(harness) is missing")
        }
        #expect(!Self.inputs.isEmpty)
    }

    @Test(arguments: inputs)
    func replays(_ input: String) throws {
        let harness = String(input.prefix { $0 != "/" })
        let run = try #require(Self.harnesses[harness])
        let bytes = try #require(FileManager.default.contents(atPath: Project.path("Tests/FuzzRegressions/\(input)")))
        let failures = run(Array(bytes))
        #expect(failures.isEmpty, "\(input): \(failures.joined(separator: "\n"))")
    }
}
