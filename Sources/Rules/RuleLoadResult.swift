/// What loading the rules gave: the checked rule set and resolved settings (both nil when
/// there is any error), and every diagnostic, sorted by file and position.
public struct RuleLoadResult: Sendable {
    /// How loading ended.
    public enum Outcome: Sendable {
        /// Every file read and checked without an error (warnings may remain): ready to compile.
        case loaded(RuleSet, ResolvedSettings)
        /// Everything could be read, but the rules or settings have errors.
        case invalid
        /// A rules directory, rule file or settings file could not be read at all.
        case unreadable
    }

    public var outcome: Outcome
    public var diagnostics: [Diagnostic]
    /// The text of every file read (rule files and settings files), by path, for rendering.
    public var sources: [String: String]

    /// A result.
    public init(outcome: Outcome, diagnostics: [Diagnostic], sources: [String: String]) {
        self.outcome = outcome
        self.diagnostics = diagnostics
        self.sources = sources
    }

    /// How a load with errors ended: `unreadable` when a file could not be read at all (an
    /// E-file problem with no position), else `invalid`.
    static func failure(of diagnostics: [Diagnostic]) -> Outcome {
        diagnostics.contains { $0.code == DiagnosticCode.fileUnreadable.rawValue && $0.location == nil } ? .unreadable : .invalid
    }

    /// The checked rules, when loaded.
    public var ruleSet: RuleSet? {
        if case .loaded(let ruleSet, _) = outcome { return ruleSet }
        return nil
    }

    /// The effective settings, when loaded.
    public var settings: ResolvedSettings? {
        if case .loaded(_, let settings) = outcome { return settings }
        return nil
    }

    /// True when the rules are not ready to compile (`invalid` or `unreadable`).
    public var hasErrors: Bool {
        if case .loaded = outcome { return false }
        return true
    }

    /// True when some file could not be read at all.
    public var isUnreadable: Bool {
        if case .unreadable = outcome { return true }
        return false
    }
    /// Number of diagnostics of a severity.
    public func count(_ severity: Severity) -> Int { diagnostics.filter { $0.severity == severity }.count }

    /// Every diagnostic rendered with its source line and caret, separated by blank lines.
    /// Each file is split into lines once, however many diagnostics point into it.
    public func render(color: Bool) -> String {
        Self.render(diagnostics, sources: sources, color: color)
    }

    /// `diagnostics` rendered with their source lines (from `sources`, by path) and carets.
    public static func render(_ diagnostics: [Diagnostic], sources: [String: String], color: Bool) -> String {
        var lines: [String: [Substring]] = [:]
        return diagnostics.map { diagnostic in
            guard let location = diagnostic.location, let text = sources[location.file] else {
                return diagnostic.rendered(line: nil, color: color)
            }
            let fileLines = lines[location.file] ?? Diagnostic.lines(of: text)
            lines[location.file] = fileLines
            return diagnostic.rendered(line: fileLines[safe: location.line - 1].map(String.init), color: color)
        }.joined(separator: "\n\n")
    }

    /// "2 errors, 1 warning" or, when clean, "rules OK: 3 files, 6 properties, 5 transitions".
    public var summary: String {
        let errors = count(.error)
        let warnings = count(.warning)
        func plural(_ n: Int, _ word: String, _ words: String? = nil) -> String { "\(n) \(n == 1 ? word : words ?? word + "s")" }
        guard errors == 0, let ruleSet else {
            return [plural(errors, "error"), warnings > 0 ? plural(warnings, "warning") : nil].compactMap { $0 }.joined(separator: ", ")
        }
        var text = "rules OK: \(plural(ruleSet.files.count, "file")), \(plural(ruleSet.properties.count, "property", "properties")), "
            + plural(ruleSet.transitions.count, "transition")
        if warnings > 0 { text += " (\(plural(warnings, "warning")))" }
        return text
    }
}
