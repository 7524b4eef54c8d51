import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads rule files, checks them completely, and resolves the settings.
///
/// Everything is checked before any record is read, and every problem is reported at once,
/// in file order. Settings precedence, last wins: declared defaults < `<rules>/settings.yaml`
/// < each `--settings` file < each `--set key=value`.
public enum RuleLoader {
    /// The top-level sections of a rule file.
    public static let sections = RuleKeys.sections

    /// Loads every `*.yaml`/`*.yml` file directly in `directory` (not `settings.yaml`, not `tests/`),
    /// in name order, plus the settings files. An entry that cannot be read (a directory, a broken
    /// link, no permission, too large, not UTF-8) is an error with its path, never skipped.
    public static func load(directory: String, settingsFiles: [String] = [], overrides: [String] = []) -> RuleLoadResult {
        var problems: [Diagnostic] = []
        var shown: [String: String] = [:]
        var ruleFiles: [(path: String, text: String)] = []
        var settings: [(path: String, text: String)] = []
        let base = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        if let problem = directoryProblem(directory) {
            return RuleLoadResult(outcome: .unreadable, diagnostics: [problem], sources: [:])
        }
        guard let listed = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            problems.append(Diagnostic(.fileUnreadable, "cannot list the rules directory '\(directory)'", at: nil,
                                       hint: "make it readable by the user running omsync (it needs read and execute permission)"))
            return RuleLoadResult(outcome: .unreadable, diagnostics: problems, sources: [:])
        }
        var unreadRuleFiles = 0
        func read(_ path: String, role: RuleFileReader.Role) -> String? {
            switch RuleFileReader.contents(of: path, role: role) {
            case .text(let text):
                return text
            case .failed(let problem, let text):
                problems.append(problem)
                if let text { shown[path] = text }
                if role == .rule { unreadRuleFiles += 1 }
                return nil
            }
        }
        for name in listed.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (base == "/" ? "" : base) + "/" + name
            if name == "settings.yaml" || name == "settings.yml" {
                if let text = read(path, role: .settings) { settings.append((path, text)) }
            } else if let text = read(path, role: .rule) {
                ruleFiles.append((path, text))
            }
        }
        for path in settingsFiles {
            if let text = read(path, role: .settings) { settings.append((path, text)) }
        }
        var result = load(files: ruleFiles, settingsFiles: settings, overrides: overrides, noFilesIn: directory,
                          unreadRuleFiles: unreadRuleFiles)
        if !problems.isEmpty {
            result.diagnostics = problems + result.diagnostics
            result.outcome = RuleLoadResult.failure(of: result.diagnostics)
            result.sources.merge(shown) { kept, _ in kept }
        }
        return result
    }

    /// Why `directory` cannot be the rules directory (missing, a file, not a directory); nil when it can.
    static func directoryProblem(_ directory: String) -> Diagnostic? {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            var link = stat()
            if lstat(directory, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                return Diagnostic(.fileUnreadable, "the rules directory '\(directory)' is a symbolic link to a place that does not exist",
                                  at: nil, hint: "fix the link, or pass --rules DIR, the folder that holds the rule files")
            }
            return Diagnostic(.fileUnreadable, "the rules directory '\(directory)' does not exist", at: nil,
                              hint: "pass --rules DIR, the folder that holds the rule files, or run from the project root where rules/ is")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            return nil
        case S_IFREG:
            let parent = (directory as NSString).deletingLastPathComponent
            return Diagnostic(.fileUnreadable, "--rules '\(directory)' is a file, not a directory", at: nil,
                              hint: "--rules takes the folder that holds the rule files: pass --rules \(parent.isEmpty ? "." : parent)"
                                + " (every *.yaml in it is read)")
        default:
            return Diagnostic(.fileUnreadable, "--rules '\(directory)' is not a directory", at: nil,
                              hint: "pass --rules DIR, the folder that holds the rule files")
        }
    }

    /// The same from in-memory text: `files` are rule files, `settingsFiles` settings files, in precedence order.
    public static func load(files: [(path: String, text: String)], settingsFiles: [(path: String, text: String)] = [],
                            overrides: [String] = []) -> RuleLoadResult {
        load(files: files, settingsFiles: settingsFiles, overrides: overrides, noFilesIn: nil, unreadRuleFiles: 0)
    }

    /// Reads a UTF-8 file of at most 1 MiB; nil after reporting why not.
    static func readFile(_ path: String, role: RuleFileReader.Role = .rule, into problems: inout [Diagnostic]) -> String? {
        switch RuleFileReader.contents(of: path, role: role) {
        case .text(let text):
            return text
        case .failed(let problem, _):
            problems.append(problem)
            return nil
        }
    }

    private static func load(files: [(path: String, text: String)], settingsFiles: [(path: String, text: String)],
                             overrides: [String], noFilesIn directory: String?, unreadRuleFiles: Int) -> RuleLoadResult {
        var checker = RuleChecker()
        var sources: [String: String] = [:]
        for file in files + settingsFiles {
            checker.sources[file.path] = SourceText(path: file.path, text: file.text)
            sources[file.path] = file.text
        }
        // Rule files that exist but could not be read were reported already: they are not "no rule files".
        if files.isEmpty && unreadRuleFiles == 0 {
            checker.report(.noRuleFiles, "no rule files (*.yaml) found\(directory.map { " in '\($0)'" } ?? "")", at: nil,
                           hint: "the shipped rules are in rules/; pass --rules DIR")
        }
        var sectionNodes: [String: YAMLNode] = [:]
        // An unread rule file leaves sections (and declared settings) unknown, like one that did not parse.
        var complete = unreadRuleFiles == 0
        for file in files {
            guard let source = checker.sources[file.path] else { continue }
            let (root, problems) = YAMLReader.read(source)
            checker.diagnostics += problems
            // libyaml stopping (malformed, or past its nesting limit) leaves the rest of the file unread.
            let broke = [DiagnosticCode.malformedYAML.rawValue, DiagnosticCode.nestingTooDeep.rawValue]
            if problems.contains(where: { broke.contains($0.code) }) { complete = false }
            guard let root, let pairs = checker.mapping(root, "a rule file") else { continue }
            for pair in pairs {
                guard let key = pair.key.scalar else { continue }
                guard sections.contains(key) else {
                    checker.report(.unknownKey, "unknown section '\(key)'", at: pair.key.location,
                                   hint: Suggestion.hint(for: key, among: sections) ?? "sections: \(sections.joined(separator: ", "))")
                    continue
                }
                if let earlier = sectionNodes[key] {
                    checker.report(.sectionRepeated, "section '\(key)' is already defined at \(earlier.location)", at: pair.key.location,
                                   hint: "each section lives in one file; merge the two")
                    continue
                }
                sectionNodes[key] = pair.value
            }
        }
        // A rule file that did not parse leaves sections unknown: do not report them as missing.
        let ruleSet = checker.ruleSet(sections: sectionNodes, files: files.map(\.path), anyFiles: !files.isEmpty && complete)
        let settings = checker.resolveSettings(ruleSet.settings, files: settingsFiles, overrides: overrides,
                                               checkNames: complete && !files.isEmpty)
        let order = files.map(\.path) + settingsFiles.map(\.path)
        let diagnostics = RuleChecker.sorted(checker.diagnostics, fileOrder: order)
        let failed = diagnostics.contains { $0.severity == .error }
        return RuleLoadResult(outcome: failed ? RuleLoadResult.failure(of: diagnostics) : .loaded(ruleSet, settings),
                              diagnostics: diagnostics, sources: sources)
    }
}
