import Pipeline
import Rules

/// `omsync test` as a library: check the rules, load the cases of `<rules>/tests/*.yaml`, plan
/// each case's order through the rules compiled with the case's settings, compare, and write
/// the report. The command only parses its options, prints and exits; tests run this in process.
public struct RuleTestRun {
    /// Which rules, settings and cases.
    public struct Options: Sendable {
        public var rules = "rules"
        public var settingsFiles: [String] = []
        public var overrides: [String] = []
        /// Run only the cases whose name contains this text.
        public var filter: String?
        /// Colour PASS and FAIL.
        public var color = false

        /// The defaults: the shipped rules, every case.
        public init() {}
    }

    /// What a run found.
    public struct Report: Sendable {
        /// The rules as checked before any case ran (their warnings, or the errors that stopped it).
        public var rules: RuleLoadResult
        /// Problems in the test files themselves.
        public var testFileDiagnostics: [Diagnostic] = []
        public var passed = 0
        public var failed = 0
        /// The report for standard output: PASS/FAIL per case, then the totals.
        public var text = ""

        /// Errors in the test files.
        public var testFileErrors: Int { testFileDiagnostics.filter { $0.severity == .error }.count }

        /// `rules` when the rules have errors (nothing ran; `usage` when a file cannot be read),
        /// `problems` when a case failed, a test file has errors or no case ran, else `ok`.
        public var status: ExitStatus {
            switch rules.outcome {
            case .unreadable: return .usage
            case .invalid: return .rules
            case .loaded: return failed > 0 || testFileErrors > 0 || passed == 0 ? .problems : .ok
            }
        }
    }

    public let options: Options

    /// A run with `options`.
    public init(_ options: Options) { self.options = options }

    /// Runs every (matching) case.
    public func run() -> Report {
        var report = Report(rules: RuleLoader.load(directory: options.rules, settingsFiles: options.settingsFiles,
                                                   overrides: options.overrides))
        guard case .loaded = report.rules.outcome else { return report }
        let (cases, diagnostics) = RuleTestLoader.load(directory: options.rules)
        report.testFileDiagnostics = diagnostics
        var pipelines: [[String]: Result<CompiledPipeline, RuleTestRunner.Failure>] = [:]
        for testCase in cases where options.filter.map({ testCase.name.contains($0) }) ?? true {
            let overrides = options.overrides + testCase.settings
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
                report.passed += 1
                report.text += PreviewText.paint("PASS", "32", options.color) + " \(testCase.name)\n"
            } else {
                report.failed += 1
                report.text += PreviewText.paint("FAIL", "31;1", options.color) + " \(testCase.name)  (\(testCase.location))\n"
                for failure in failures {
                    report.text += "  \(failure.location.file):\(failure.location.line): \(failure.message)\n"
                }
            }
        }
        let errors = report.testFileErrors
        report.text += "\n\(report.passed) passed, \(report.failed) failed"
            + (errors > 0 ? ", \(errors) error\(errors == 1 ? "" : "s") in test files" : "") + "\n"
        if report.passed + report.failed == 0 {
            report.text += options.filter.map { "No case name contains \"\($0)\"; nothing was tested.\n" }
                ?? "No test cases in \(options.rules)/tests/*.yaml; nothing was tested.\n"
        }
        return report
    }

    /// The rules compiled with the case's settings on top; a failure names the case's settings.
    private func compile(overrides: [String], at location: SourceLocation) -> Result<CompiledPipeline, RuleTestRunner.Failure> {
        let loaded = RuleLoader.load(directory: options.rules, settingsFiles: options.settingsFiles, overrides: overrides)
        guard case .loaded(let ruleSet, let settings) = loaded.outcome else {
            let message = loaded.diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n    ")
            return .failure(RuleTestRunner.Failure(location: location, message: "the case's settings are not valid:\n    \(message)"))
        }
        do throws(CompiledPipeline.CompileError) {
            return .success(try CompiledPipeline(ruleSet: ruleSet, settings: settings))
        } catch {
            return .failure(RuleTestRunner.Failure(location: location, message: "cannot compile the rules: \(error)"))
        }
    }
}
