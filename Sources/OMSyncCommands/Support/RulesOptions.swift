import ArgumentParser
import Foundation
import Rules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The options every rules-driven command shares: where the rules are, settings files, and
/// `--set key=value` overrides. Settings precedence, last wins: the rules' defaults <
/// `<rules>/settings.yaml` < each `--settings FILE` < each `--set`.
public struct RulesOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Directory of rule files (*.yaml).", valueName: "dir"))
    public var rules: String = "rules"

    @Option(name: .long, help: ArgumentHelp("Settings file (YAML `name: value` lines); repeatable, later files win.", valueName: "file"))
    public var settings: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one setting; repeatable, wins over settings files.", valueName: "key=value"))
    public var overrides: [String] = []

    /// Options with their defaults (ArgumentParser fills them in).
    public init() {}

    /// Loads and checks the rules and settings.
    public func load() -> RuleLoadResult {
        RuleLoader.load(directory: rules, settingsFiles: settings, overrides: overrides)
    }

    /// Loads and checks the rules; prints any diagnostics to standard error (warnings too).
    /// On errors it exits with `ExitStatus.rules` ("the rules have errors, no record was read"),
    /// or `ExitStatus.usage` when a rules or settings file cannot be read at all.
    public func loadOrExit(command: String) throws -> (RuleSet, ResolvedSettings) {
        let result = load()
        if !result.diagnostics.isEmpty {
            let color = isatty(2) == 1
            StandardError.write(result.render(color: color) + "\n")
        }
        switch result.outcome {
        case .loaded(let ruleSet, let settings):
            return (ruleSet, settings)
        case .invalid, .unreadable:
            StandardError.write("omsync \(command): the rules have errors (\(result.summary)); nothing was read\n")
            throw ExitCode(result.isUnreadable ? .usage : .rules)
        }
    }

    /// Writes text to standard error.
}


