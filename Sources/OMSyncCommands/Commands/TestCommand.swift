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
        var options = RuleTestRun.Options()
        options.rules = rulesOptions.rules
        options.settingsFiles = rulesOptions.settings
        options.overrides = rulesOptions.overrides
        options.filter = filter
        options.color = isatty(1) == 1
        let report = RuleTestRun(options).run()
        if !report.rules.diagnostics.isEmpty {
            StandardError.write(report.rules.render(color: isatty(2) == 1) + "\n")
        }
        if report.rules.hasErrors {
            // The rules as they are come first: errors there stop everything.
            StandardError.line("omsync test: the rules have errors (\(report.rules.summary)); nothing was read")
            throw ExitCode(report.status)
        }
        if !report.testFileDiagnostics.isEmpty {
            StandardError.write(RuleLoadResult.render(report.testFileDiagnostics, sources: [:], color: isatty(2) == 1) + "\n")
        }
        FileHandle.standardOutput.write(Data(report.text.utf8))
        if report.status != .ok { throw ExitCode(report.status) }
    }
}
