/// What loading the rules gave: the checked rule set and resolved settings (both nil when
/// there is any error), and every diagnostic, sorted by file and position.
public struct RuleLoadResult: Sendable {
    public var ruleSet: RuleSet?
    public var settings: ResolvedSettings?
    public var diagnostics: [Diagnostic]
    /// The text of every file read (rule files and settings files), by path, for rendering.
    public var sources: [String: String]

    /// A result; `ruleSet` and `settings` should be nil when `diagnostics` hold an error.
    public init(ruleSet: RuleSet?, settings: ResolvedSettings?, diagnostics: [Diagnostic], sources: [String: String]) {
        self.ruleSet = ruleSet
        self.settings = settings
        self.diagnostics = diagnostics
        self.sources = sources
    }

    /// True when any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    /// Number of diagnostics of a severity.
    public func count(_ severity: Severity) -> Int { diagnostics.filter { $0.severity == severity }.count }

    /// Every diagnostic rendered with its source line and caret, separated by blank lines.
    /// Each file is split into lines once, however many diagnostics point into it.
    public func render(color: Bool) -> String {
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
