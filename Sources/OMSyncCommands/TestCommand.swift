import ArgumentParser
import Foundation
import Pipeline
import Rules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync test`: runs the rule test cases kept next to the rules (`<rules>/tests/*.yaml`).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule test cases in <rules>/tests/*.yaml.",
        discussion: """
            Each case plans its order through the rules (with the case's settings on top of the \
            run's) and checks the expected action, payload fields, supersede changes and problems.
            Exit codes: 0 every case passed; 1 some case failed (or a test file has errors, or \
            no case ran); 2 usage error; 3 the rules have errors.
            """)

    @OptionGroup var rulesOptions: RulesOptions

    @Option(help: ArgumentHelp("Run only the cases whose name contains this text.", valueName: "text"))
    var filter: String?

    func run() throws {
        // The rules as they are, checked once up front: errors here stop everything (exit 3).
        _ = try rulesOptions.loadOrExit(command: "test")
        let color = isatty(1) == 1
        let (cases, diagnostics) = RuleTestLoader.load(directory: rulesOptions.rules)
        if !diagnostics.isEmpty {
            StandardError.write(RuleLoadResult.render(diagnostics, sources: [:], color: isatty(2) == 1) + "\n")
        }
        var pipelines: [[String]: Result<CompiledPipeline, RuleTestRunner.Failure>] = [:]
        var passed = 0
        var failed = 0
        var out = ""
        for testCase in cases where filter.map({ testCase.name.contains($0) }) ?? true {
            let overrides = rulesOptions.overrides + testCase.settings
            if pipelines[overrides] == nil {
                pipelines[overrides] = compile(overrides: overrides, at: testCase.location)
            }
            let failures: [RuleTestRunner.Failure]
            switch pipelines[overrides] {
            case .success(let pipeline)?: failures = RuleTestRunner.check(testCase, pipeline: pipeline)
            case .failure(let failure)?: failures = [failure]
            case nil: failures = []
            }
            if failures.isEmpty {
                passed += 1
                out += PreviewText.paint("PASS", "32", color) + " \(testCase.name)\n"
            } else {
                failed += 1
                out += PreviewText.paint("FAIL", "31;1", color) + " \(testCase.name)  (\(testCase.location))\n"
                for failure in failures {
                    out += "  \(failure.location.file):\(failure.location.line): \(failure.message)\n"
                }
            }
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        out += "\n\(passed) passed, \(failed) failed" + (errors > 0 ? ", \(errors) error\(errors == 1 ? "" : "s") in test files" : "") + "\n"
        if passed + failed == 0 {
            out += filter.map { "No case name contains \"\($0)\"; nothing was tested.\n" }
                ?? "No test cases in \(rulesOptions.rules)/tests/*.yaml; nothing was tested.\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        if failed > 0 || errors > 0 || passed == 0 { throw ExitCode(.problems) }
    }

    /// The rules compiled with the case's settings on top; a failure names the case's settings.
    private func compile(overrides: [String], at location: SourceLocation) -> Result<CompiledPipeline, RuleTestRunner.Failure> {
        let loaded = RuleLoader.load(directory: rulesOptions.rules, settingsFiles: rulesOptions.settings, overrides: overrides)
        guard let ruleSet = loaded.ruleSet, let settings = loaded.settings, !loaded.hasErrors else {
            let message = loaded.diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n    ")
            return .failure(RuleTestRunner.Failure(location: location, message: "the case's settings are not valid:\n    \(message)"))
        }
        do {
            return .success(try CompiledPipeline(ruleSet: ruleSet, settings: settings))
        } catch {
            return .failure(RuleTestRunner.Failure(location: location, message: "cannot compile the rules: \(error)"))
        }
    }
}
